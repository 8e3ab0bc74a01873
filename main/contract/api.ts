/**
 * The renderer-facing API, built from channel names only (no zod), so the sandboxed preload
 * and the browser's WebSocket bridge stay small and expose exactly the same named functions.
 */
import type { Result } from './errors';
import type { Channel, EventName, EventPayloadOf, PayloadOf, ResultOf } from './channels';

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
] as const satisfies readonly Channel[];

export const eventNames = ['projects:changed', 'settings:changed'] as const satisfies readonly EventName[];

/** `projects:list` -> `projectsList`. */
type CamelName<C extends string> = C extends `${infer D}:${infer V}` ? `${D}${Capitalize<V>}` : never;

type Method<C extends Channel> = undefined extends PayloadOf<C>
  ? (payload?: PayloadOf<C>) => Promise<Result<ResultOf<C>>>
  : (payload: PayloadOf<C>) => Promise<Result<ResultOf<C>>>;

export type ModelPilotApi = { [C in (typeof channelNames)[number] as CamelName<C>]: Method<C> } & {
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

/** Builds the named functions over any transport (Electron IPC or WebSocket). */
export function createApi(transport: Transport): ModelPilotApi {
  const api: Record<string, unknown> = {};
  for (const channel of channelNames) {
    api[methodName(channel)] = (payload?: unknown) => transport.invoke(channel, payload);
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(eventNames as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
    return transport.subscribe(event, listener);
  };
  return api as ModelPilotApi;
}
