// The SignalR hub server used by the HES stand-in (emulator/hes/server.ts).
export type {
  HubCaller,
  HubDefinition,
  HubMethod,
  HubMethodDefinition,
  SignalRServerOptions,
} from './hub-definition';
export { SignalRServer } from './signalr-server';
export { SignalRError, SignalRErrorCode, isSignalRError } from './signalr-error';
