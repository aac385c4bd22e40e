// The preload script: the one contextBridge API (DESIGN §9). It runs sandboxed, so it may use only
// `contextBridge`, `ipcRenderer` and `webUtils`; it exposes functions, never ipcRenderer itself, and
// listeners never see the Electron event object. Bundled to one CommonJS file by vite.preload.config.ts.

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { BridgeTransport, EventChannel, EventContract } from '../shared/ipc-contract.js';
import { createAssayApi } from './api.js';

const transport: BridgeTransport = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe<E extends EventChannel>(channel: E, listener: (payload: EventContract[E]) => void) {
    const wrapped = (_event: Electron.IpcRendererEvent, payload: EventContract[E]) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  pathForFile(file) {
    if (!(file instanceof File)) return null;
    const path = webUtils.getPathForFile(file);
    return path === '' ? null : path;
  },
};

contextBridge.exposeInMainWorld('assay', createAssayApi(transport));
