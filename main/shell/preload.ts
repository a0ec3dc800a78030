// The sandboxed preload bridge: exposes shared/ipc's CompanionApi (one named
// function per command, plus onSnapshot/onNotice) through contextBridge. The page
// never gets ipcRenderer, and there is no generic invoke: each function has its
// own fixed channel (ipc-channels.ts). Answers and events are validated by the bridge.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { config } from 'zod';
import { createCompanionApi } from '../../shared/ipc/bridge';
import { commandChannel, eventChannel } from './ipc-channels';

// The page's CSP has no 'unsafe-eval': zod must not probe `new Function` for its
// compiled fast path (the probe is reported as a violation even though zod catches it).
config({ jitless: true });

const api = createCompanionApi({
  call: (name, args) => ipcRenderer.invoke(commandChannel(name), ...args),
  subscribe: (event, listener) => {
    const channel = eventChannel(event);
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
});

contextBridge.exposeInMainWorld('companion', api);
