import { z } from 'zod';
import { dataChannels, dataEvents } from './data-channels';
import { deploymentChannels, deploymentEvents } from './deployment-channels';
import { evaluationChannels, evaluationEvents } from './evaluation-channels';
import { needsChannels } from './needs-channels';
import { appInfoWithComputeSchema, trainingChannels, trainingEvents } from './training-channels';
import {
  fileFilterSchema,
  projectIdSchema,
  projectNameSchema,
  projectSchema,
  projectSummarySchema,
  settingsSchema,
  stepIdSchema,
} from './schemas';

const none = z.undefined();

/**
 * The one table of request channels: `domain:verb` -> payload schema and result schema.
 * Both hosts (Electron IPC and the WebSocket host) dispatch through it, and the renderer's
 * API is typed from it, so a channel cannot exist on one side only.
 */
export const channels = {
  'app:info': { payload: none, result: appInfoWithComputeSchema },
  'settings:get': { payload: none, result: settingsSchema },
  'settings:update': { payload: settingsSchema.partial().strict(), result: settingsSchema },
  'projects:list': { payload: none, result: z.array(projectSummarySchema) },
  'projects:create': {
    payload: z.object({ name: projectNameSchema, description: z.string().max(2000).optional() }).strict(),
    result: projectSchema,
  },
  'projects:open': { payload: z.object({ id: projectIdSchema }).strict(), result: projectSchema },
  'projects:update': {
    payload: z
      .object({
        id: projectIdSchema,
        patch: z
          .object({
            name: projectNameSchema,
            description: z.string().max(2000),
            currentStep: stepIdSchema,
            completedSteps: z.array(stepIdSchema),
          })
          .partial()
          .strict(),
      })
      .strict(),
    result: projectSchema,
  },
  'projects:delete': {
    payload: z.object({ id: projectIdSchema }).strict(),
    result: z.object({ id: projectIdSchema }),
  },
  /** Native dialogs exist in the desktop host only; the web host answers unsupported_in_host. */
  'dialog:openFile': {
    payload: z.object({ title: z.string().optional(), filters: z.array(fileFilterSchema).optional(), directory: z.boolean().optional() }).strict(),
    result: z.object({ paths: z.array(z.string()) }),
  },
  'dialog:saveFile': {
    payload: z.object({ title: z.string().optional(), defaultName: z.string().optional(), filters: z.array(fileFilterSchema).optional() }).strict(),
    result: z.object({ path: z.string().nullable() }),
  },
  ...dataChannels,
  ...trainingChannels,
  ...evaluationChannels,
  ...deploymentChannels,
  ...needsChannels,
} as const;

/** Events pushed from the Node side to every connected renderer. */
export const events = {
  'projects:changed': z.object({ projects: z.array(projectSummarySchema) }),
  /** Another window or tab changed a preference (the language); every view follows. */
  'settings:changed': settingsSchema,
  ...dataEvents,
  ...trainingEvents,
  ...evaluationEvents,
  ...deploymentEvents,
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type PayloadOf<C extends Channel> = z.input<Channels[C]['payload']>;
export type ParsedPayloadOf<C extends Channel> = z.output<Channels[C]['payload']>;
export type ResultOf<C extends Channel> = z.output<Channels[C]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayloadOf<E extends EventName> = z.output<Events[E]>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
