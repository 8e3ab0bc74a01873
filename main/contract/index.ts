export * from './errors';
export * from './schemas';
export * from './channels';
export * from './api';
export * from './data-channels';
export * from './training-channels';
export * from './training-settings';
