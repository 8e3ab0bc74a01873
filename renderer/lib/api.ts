/**
 * The renderer's one door to the Node side. The Electron preload installs `window.modelpilot`;
 * in a plain browser (the web host) nothing does, so the same API is built over a WebSocket.
 * Every call resolves to a Result and never throws.
 */
import type { ModelPilotApi } from '../../main/contract/api';
import { createWebSocketApi } from './ws-bridge';

declare global {
  interface Window {
    modelpilot: ModelPilotApi | undefined;
  }
}

window.modelpilot ??= createWebSocketApi(window.location);

export const api: ModelPilotApi = window.modelpilot;
