export * from './errors';
export * from './schemas';
export * from './channels';
export * from './api';
