import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelNames, channels, eventNames, events, methodName } from '../../main/contract';
import { createDispatch, type Dispatch } from '../../main/handlers';
import { makeTempHome } from './helpers/temp-home';

let home: string;
let cleanup: () => Promise<void>;
let dispatch: Dispatch;
let emitted: { event: string; payload: unknown }[];

beforeEach(async () => {
  ({ home, cleanup } = await makeTempHome());
  emitted = [];
  dispatch = createDispatch({ host: 'web', home, version: '1.2.3', emit: (event, payload) => emitted.push({ event, payload }) });
});
afterEach(() => cleanup());

describe('the contract', () => {
  it('lists every channel and event once, in the schema table and the API name list alike', () => {
    expect([...channelNames].sort()).toEqual(Object.keys(channels).sort());
    expect([...eventNames].sort()).toEqual(Object.keys(events).sort());
    expect(methodName('projects:list')).toBe('projectsList');
  });

  it('answers app:info with the version and the backend ladder, each rung with a reason', async () => {
    const result = await dispatch('app:info', undefined);
    if (!result.ok) throw new Error(result.error.message);
    const info = channels['app:info'].result.parse(result.value);
    expect(info.version).toBe('1.2.3');
    expect(info.backends.map((b) => b.id)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(info.backends.find((b) => b.id === 'cpu')).toMatchObject({ available: true, reason: 'available' });
    expect(info.backends.find((b) => b.id === info.selectedBackend)?.available).toBe(true);
  });

  it('runs a project through create, open, update, list and delete, announcing changes', async () => {
    const created = await dispatch('projects:create', { name: 'Spam filter' });
    expect(created.ok).toBe(true);
    const id = (created as { value: { id: string } }).value.id;
    expect(await dispatch('projects:open', { id })).toMatchObject({ ok: true, value: { name: 'Spam filter' } });
    expect(await dispatch('projects:update', { id, patch: { completedSteps: ['needs'] } })).toMatchObject({ ok: true, value: { completedSteps: ['needs'] } });
    expect(await dispatch('projects:list', undefined)).toMatchObject({ ok: true, value: [{ id, completedSteps: ['needs'] }] });
    expect(await dispatch('projects:delete', { id })).toEqual({ ok: true, value: { id } });
    expect(emitted.map((e) => e.event)).toEqual(['projects:changed', 'projects:changed', 'projects:changed']);
  });

  it.each([
    ['projects:create', { name: '' }, 'name'],
    ['projects:create', { name: 'x'.repeat(81) }, 'name'],
    ['projects:create', { name: 42 }, 'name'],
    ['projects:create', { name: 'ok', extra: true }, '(payload)'],
    ['projects:open', { id: '../../etc' }, 'id'],
    ['projects:update', { id: 'a', patch: { currentStep: 'nonsense' } }, 'patch.currentStep'],
    ['settings:update', { locale: 'fr' }, 'locale'],
    ['projects:list', { unexpected: 1 }, '(payload)'],
  ])('refuses a bad %s payload with a typed error naming the field', async (channel, payload, field) => {
    const result = await dispatch(channel, payload);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_payload', params: { channel, field } } });
  });

  it('refuses an unknown channel and a missing project with typed errors', async () => {
    expect(await dispatch('projects:explode', {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await dispatch(null, {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await dispatch('projects:open', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('says native dialogs need the desktop app when the host has none', async () => {
    expect(await dispatch('dialog:openFile', {})).toMatchObject({ ok: false, error: { code: 'unsupported_in_host' } });
  });

  it('keeps settings across dispatchers (hosts) sharing a home folder', async () => {
    expect(await dispatch('settings:get', undefined)).toEqual({ ok: true, value: { locale: 'en' } });
    await dispatch('settings:update', { locale: 'zh-CN' });
    const again = createDispatch({ host: 'electron', home, version: '1', emit: () => undefined });
    expect(await again('settings:get', undefined)).toEqual({ ok: true, value: { locale: 'zh-CN' } });
  });
});
