/**
 * The contract over Electron IPC: one ipcMain.handle per channel, every call checked to come from
 * our window's main frame, then handed to the shared dispatch (which validates the payload).
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { channels, fail, type Channel, type EventName, type EventPayloadOf } from '../contract';
import type { Dispatch } from '../handlers';

export interface IpcOptions {
  dispatch: Dispatch;
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean;
  log: (message: string) => void;
}

/**
 * A rejected sender gets `internal` rather than a new error code: it is never our own UI, so there
 * is nothing for the UI to word, and the contract stays the same for both hosts.
 */
export function registerIpc({ dispatch, isTrustedSender, log }: IpcOptions): void {
  for (const channel of Object.keys(channels) as Channel[]) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        log(`ipc: rejected ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
        return fail('internal', 'sender rejected', { channel });
      }
      return dispatch(channel, payload);
    });
  }
}

/** The `emit` of the handler context: pushes an event to the window, if it is still there. */
export function createEmitter(getWindow: () => BrowserWindow | null) {
  return <E extends EventName>(event: E, payload: EventPayloadOf<E>): void => {
    const window = getWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(event, payload);
  };
}
