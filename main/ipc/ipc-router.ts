// The receiving side of the IPC contract in main: every call from a renderer (over
// Electron IPC or the browser host's WebSocket) comes through handle(), which
// validates the name and the arguments against shared/ipc's table and only then
// calls the one matching service method. No passthrough: a name outside the table
// is refused. Answers are plain data and never thrown; an action's answer carries
// no value, and an error that would echo a submitted code or PIN is replaced.
import {
  IpcErrorCode,
  SECRET_ARGS,
  failure,
  parseCommand,
  type CommandResult,
  type IpcError,
  type IpcEvent,
  type ParsedCommand,
  type AppSnapshot,
} from '../../shared/ipc/contract';
import type { RoutedService } from './companion-port';

export interface IpcRouter {
  /** Validate and run one call. Never rejects. */
  handle(name: unknown, args: unknown): Promise<CommandResult>;
  /** The current snapshot (undefined if the service failed to give one). */
  snapshot(): AppSnapshot | undefined;
  /** Listen to every pushed event (snapshots and notices); returns the unsubscribe. */
  onEvent(listener: (event: IpcEvent) => void): () => void;
  /** Stop listening to the service; listeners get nothing more. */
  dispose(): void;
}

function run(service: RoutedService, command: ParsedCommand): Promise<CommandResult> {
  switch (command.name) {
    case 'getSnapshot':
      return Promise.resolve({ ok: true, value: service.snapshot() });
    case 'submitActivationCode':
      return service.submitActivationCode(...command.args);
    case 'submitNewPin':
      return service.submitNewPin(...command.args);
    case 'submitPin':
      return service.submitPin(...command.args);
    case 'changePin':
      return service.changePin(...command.args);
    case 'setPin':
      return service.setPin(...command.args);
    case 'cancelPrompt':
      return service.cancelPrompt(...command.args);
    case 'retryKey':
      return service.retryKey(...command.args);
    case 'forgetKey':
      return service.forgetKey(...command.args);
    case 'setServerUrl':
      return service.setServerUrl(...command.args);
    case 'checkServer':
      return service.checkServer(...command.args);
  }
}

/** Digit runs in a text: where a code or PIN would show if it were echoed. */
const digitRuns = (text: string): string[] => text.match(/[0-9]+/g) ?? [];

/** True when the text shows one of the secrets (a digit run equal to or holding one). */
export function echoesSecret(text: string, secrets: readonly string[]): boolean {
  if (secrets.length === 0) return false;
  return digitRuns(text).some((run) =>
    secrets.some((secret) => run === secret || (secret.length >= 4 && run.includes(secret))),
  );
}

function secretsOf(command: ParsedCommand): string[] {
  const args: readonly unknown[] = command.args;
  return SECRET_ARGS[command.name]
    .map((index) => args[index])
    .filter((value): value is string => typeof value === 'string' && value.length > 0);
}

/** Keep only { code, message } of a service error, and nothing that echoes a secret. */
function cleanError(error: unknown, secrets: readonly string[]): IpcError {
  const fallback = failure(IpcErrorCode.Internal).error;
  if (typeof error !== 'object' || error === null) return fallback;
  const { code, message, attemptsRemain } = error as {
    code?: unknown;
    message?: unknown;
    attemptsRemain?: unknown;
  };
  // A count of attempts left is kept: it is the key's answer, not anything typed.
  const count =
    typeof attemptsRemain === 'number' && Number.isInteger(attemptsRemain) && attemptsRemain >= 0
      ? { attemptsRemain }
      : {};
  if (typeof code !== 'string' && typeof code !== 'number') return fallback;
  if (typeof code === 'string' && echoesSecret(code, secrets)) return fallback;
  if (typeof message !== 'string' || echoesSecret(message, secrets)) {
    return { code, message: fallback.message, ...count };
  }
  return { code, message, ...count };
}

function cleanResult(command: ParsedCommand, result: unknown): CommandResult {
  if (typeof result !== 'object' || result === null) return failure(IpcErrorCode.Internal);
  const { ok, value, error } = result as { ok?: unknown; value?: unknown; error?: unknown };
  if (ok === true) return { ok: true, value: command.name === 'getSnapshot' ? value : null };
  if (ok === false) return { ok: false, error: cleanError(error, secretsOf(command)) };
  return failure(IpcErrorCode.Internal);
}

export function createIpcRouter(service: RoutedService): IpcRouter {
  const listeners = new Set<(event: IpcEvent) => void>();
  const emit = (event: IpcEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One failing listener (a closed window, a dead socket) must not stop the others.
      }
    }
  };
  const unsubscribers = [
    service.onSnapshot((payload) => emit({ name: 'snapshot', payload })),
    service.onNotice((payload) => emit({ name: 'notice', payload })),
  ];
  let disposed = false;

  return {
    async handle(name, args) {
      const parsed = parseCommand(name, args);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      try {
        return cleanResult(parsed.command, await run(service, parsed.command));
      } catch {
        return failure(IpcErrorCode.Internal);
      }
    },
    snapshot() {
      try {
        return service.snapshot();
      } catch {
        return undefined;
      }
    },
    onEvent(listener) {
      if (disposed) return () => undefined;
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      listeners.clear();
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
