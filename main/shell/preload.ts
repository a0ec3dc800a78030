// The sandboxed preload bridge. It exposes named functions of the typed IPC
// contract only (never a generic invoke); the contract arrives with the workflow.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('companion', Object.freeze({ version: 1 }));
