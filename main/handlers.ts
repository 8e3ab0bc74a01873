import { arch, platform } from 'node:process';
import type { z } from 'zod';
import {
  channels,
  fail,
  isChannel,
  ok,
  type AppInfo,
  type Channel,
  type EventName,
  type EventPayloadOf,
  type ParsedPayloadOf,
  type Result,
  type ResultOf,
} from './contract';
import { probeLadder } from './core/backends/ladder';
import { isCoreError } from './core/errors';
import { ProjectStore } from './core/projects/project-store';
import { SettingsStore } from './core/settings/settings-store';
import { createDataHandlers } from './handlers/data-handlers';
import { createDeploymentHandlers } from './handlers/deployment-handlers';
import { createEvaluationHandlers } from './handlers/evaluation-handlers';
import { createNeedsHandlers } from './handlers/needs-handlers';
import { computeInfo, createTrainingHandlers } from './handlers/training-handlers';

export type Handler<C extends Channel> = (payload: ParsedPayloadOf<C>) => Promise<ResultOf<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };
/** Channels a host provides itself (native dialogs); the rest come from core. */
export type HostHandlers = Pick<HandlerTable, 'dialog:openFile' | 'dialog:saveFile'>;

export interface HandlerContext {
  host: AppInfo['host'];
  home: string;
  version: string;
  /** Pushes an event to every renderer this host serves. */
  emit: <E extends EventName>(event: E, payload: EventPayloadOf<E>) => void;
  hostHandlers?: Partial<HostHandlers>;
  log?: (message: string) => void;
}

export type Dispatch = (channel: unknown, payload: unknown) => Promise<Result<unknown>>;

/** The channel -> core function table both hosts register. */
export function createHandlerTable(ctx: HandlerContext): HandlerTable {
  const projects = new ProjectStore(ctx.home);
  const settings = new SettingsStore(ctx.home);
  const announce = async () => ctx.emit('projects:changed', { projects: await projects.list() });
  const withAnnounce = async <T>(work: Promise<T>): Promise<T> => {
    const value = await work;
    await announce();
    return value;
  };
  const dataHandlers = createDataHandlers(ctx, projects);
  const evaluation = createEvaluationHandlers(ctx, projects);
  const notInThisHost = async (): Promise<never> => {
    throw new UnsupportedInHost();
  };
  return {
    'app:info': async () => {
      const ladder = probeLadder();
      return {
        name: 'ModelPilot',
        version: ctx.version,
        platform,
        arch,
        nodeVersion: process.versions.node,
        host: ctx.host,
        home: ctx.home,
        backends: ladder.rungs,
        selectedBackend: ladder.selected,
        forcedBackend: ladder.forced,
        ...computeInfo(),
      };
    },
    'settings:get': () => settings.get(),
    'settings:update': async (patch) => {
      const next = await settings.update(patch);
      ctx.emit('settings:changed', next);
      return next;
    },
    'projects:list': () => projects.list(),
    'projects:create': ({ name, description }) => withAnnounce(projects.create(name, description)),
    'projects:open': ({ id }) => projects.open(id),
    'projects:update': ({ id, patch }) => withAnnounce(projects.update(id, patch)),
    'projects:delete': ({ id }) => withAnnounce(projects.delete(id)),
    'dialog:openFile': ctx.hostHandlers?.['dialog:openFile'] ?? notInThisHost,
    'dialog:saveFile': ctx.hostHandlers?.['dialog:saveFile'] ?? notInThisHost,
    ...dataHandlers,
    ...createTrainingHandlers(ctx, projects),
    ...evaluation.handlers,
    ...createDeploymentHandlers(ctx, projects, evaluation.service),
    ...createNeedsHandlers(ctx, projects, settings, dataHandlers),
  };
}

class UnsupportedInHost extends Error {}

/**
 * Validates the channel and payload, runs the handler, and turns every outcome into a Result.
 * Nothing thrown inside reaches the transport: user mistakes become typed errors, bugs become
 * `internal` with the stack logged on this side only.
 */
export function createDispatch(ctx: HandlerContext): Dispatch {
  const table = createHandlerTable(ctx);
  return async (channel, payload) => {
    if (!isChannel(channel)) return fail('unknown_channel', `unknown channel ${String(channel)}`, { channel: String(channel) });
    const parsed = (channels[channel].payload as z.ZodType).safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(payload)';
      return fail('invalid_payload', `${channel}: ${field}: ${issue?.message}`, { channel, field });
    }
    try {
      const handler = table[channel] as (p: unknown) => Promise<unknown>;
      return ok(await handler(parsed.data));
    } catch (error) {
      if (error instanceof UnsupportedInHost) return fail('unsupported_in_host', `${channel} needs the desktop app`, { channel });
      if (isCoreError(error)) return fail(error.code, error.message, error.params);
      ctx.log?.(`internal error on ${channel}: ${(error as Error).stack ?? String(error)}`);
      return fail('internal', (error as Error).message ?? String(error), { channel });
    }
  };
}
