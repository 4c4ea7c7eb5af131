// The dashboard's preload (sandboxed, bundled into one CommonJS file): exposes `window.gateway` with one method
// per action and nothing else from Electron.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './ipc/bridge.ts';

contextBridge.exposeInMainWorld('gateway', createBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args)));
