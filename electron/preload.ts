// The preload of the app window (sandboxed, so bundled to CommonJS as dist/electron/preload.cjs).
// It exposes `window.thetasecure` built by looping over the contract: one function per method on
// its own IPC channel, one subscribe function per event. No ipcRenderer, no generic channel.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { CONTRACT_EVENTS, CONTRACT_METHODS } from '../shared/contract.ts';
import { buildBridge, eventChannel, methodChannel } from './bridge-builder.ts';

const bridge = buildBridge(CONTRACT_METHODS, CONTRACT_EVENTS, {
  invoke: (method, input) => ipcRenderer.invoke(methodChannel(method), input),
  subscribe(event, listener) {
    const channel = eventChannel(event);
    // The page's listener never sees the IPC event object (it would expose `sender`).
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
});

contextBridge.exposeInMainWorld('thetasecure', bridge);
