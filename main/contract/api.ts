/**
 * The renderer-facing API, built from channel names only (no zod), so the sandboxed preload
 * and the browser's WebSocket bridge stay small and expose exactly the same named functions.
 */
import type { Result } from './errors';
import type { Channel, EventName, EventPayloadOf, PayloadOf, ResultOf } from './channels';
import type { ImportSource } from './data-channels';

export const channelNames = [
  'app:info',
  'settings:get',
  'settings:update',
  'projects:list',
  'projects:create',
  'projects:open',
  'projects:update',
  'projects:delete',
  'dialog:openFile',
  'dialog:saveFile',
  'data:import',
  'data:cancel',
  'data:get',
  'data:setRole',
  'data:applyFix',
  'data:undoFix',
  'data:setSplit',
  'models:catalog',
  'models:estimate',
  'models:choose',
  'training:get',
  'training:saveSettings',
  'training:start',
  'training:pause',
  'training:resume',
  'training:stop',
  'training:cancel',
  'training:resumeInterrupted',
  'training:runs',
  'training:metrics',
  'evaluation:get',
  'evaluation:setThreshold',
  'evaluation:examples',
  'evaluation:tryIt',
  'evaluation:compare',
  'evaluation:chooseRun',
  'deployment:get',
  'deployment:export',
  'deployment:saveAs',
  'deployment:openModel',
  'deployment:predict',
  'deployment:evaluateFile',
  'deployment:serve',
  'deployment:stopServing',
  'deployment:servingStatus',
  'needs:get',
  'needs:update',
  'advisor:rank',
  'planner:estimate',
  'samples:list',
  'projects:createFromSample',
] as const satisfies readonly Channel[];

export const eventNames = ['projects:changed', 'settings:changed', 'data:progress', 'training:progress', 'evaluation:progress', 'deployment:serving'] as const satisfies readonly EventName[];

/** `projects:list` -> `projectsList`. */
type CamelName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;

type Method<C extends Channel> = undefined extends PayloadOf<C>
  ? (payload?: PayloadOf<C>) => Promise<Result<ResultOf<C>>>
  : (payload: PayloadOf<C>) => Promise<Result<ResultOf<C>>>;

/**
 * A file the user picked or dropped: the page's File object (typed loosely here, the contract
 * has no DOM types) and its path inside a picked or dropped folder ("reviews/positive/1.txt"),
 * or just its name for a single file.
 */
export interface PickedFile {
  file: { readonly name: string; readonly size: number };
  path: string;
}

export interface UploadProgress {
  sentBytes: number;
  totalBytes: number;
}

/** What each host adds beside the channels: the parts that differ between desktop and browser. */
export interface ApiExtras {
  /**
   * Turns picked or dropped files into an import source: in the desktop app their paths on disk
   * (nothing is copied twice), in the browser an upload to the host. One file, or the files of
   * one folder. `onProgress` follows an upload; returning false from it stops the upload (a
   * callback, not an AbortSignal, because it must cross Electron's context bridge).
   */
  sourceFromFiles(files: readonly PickedFile[], onProgress?: (progress: UploadProgress) => boolean | void): Promise<Result<ImportSource>>;
}

export type ModelPilotApi = { [C in (typeof channelNames)[number] as CamelName<C>]: Method<C> } & ApiExtras & {
  /** Subscribe to a pushed event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
};

export interface Transport {
  invoke(channel: Channel, payload: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function methodName(channel: string): string {
  const [domain, verb] = channel.split(':');
  return domain + verb.charAt(0).toUpperCase() + verb.slice(1);
}

/** Builds the named functions over any transport (Electron IPC or WebSocket), plus the host's extras. */
export function createApi(transport: Transport, extras: ApiExtras): ModelPilotApi {
  const api: Record<string, unknown> = { sourceFromFiles: extras.sourceFromFiles };
  for (const channel of channelNames) {
    api[methodName(channel)] = (payload?: unknown) => transport.invoke(channel, payload);
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(eventNames as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
    return transport.subscribe(event, listener);
  };
  return api as unknown as ModelPilotApi;
}
