// The one typed contract between the renderer and main: every command the renderer
// may call (name → the input rule of each argument → result value) and every event
// it receives (events.ts). Main validates each call with these rules before any
// service sees it; results cross as plain data, never as a thrown error. Activation
// codes and PINs travel only renderer → main and are never echoed back.
import type { AppSnapshot } from './snapshot';
import {
  INPUT_ERROR_MESSAGES,
  activationCodeRule,
  isInputErrorCode,
  orNull,
  pinRule,
  serialNoRule,
  serverUrlRule,
  type InputErrorCode,
  type InputRule,
} from './input-rules';

/** An error as plain data: a stable code and a fixed message (no submitted values). */
export interface IpcError {
  code: string | number;
  message: string;
  /** A wrong PIN's answer: the attempts the key has left (a count, never a secret). */
  attemptsRemain?: number;
}

/** What every command answers: a value, or an error; never a throw. */
export type CommandResult<T = unknown> = { ok: true; value: T } | { ok: false; error: IpcError };

/** Codes of the IPC layer itself (the input rules add InputErrorCode). */
export const IpcErrorCode = {
  /** Unknown command, wrong number or wrong types of arguments. */
  BadRequest: 'IPC_BAD_REQUEST',
  /** The service failed in a way it did not report as a result. */
  Internal: 'IPC_INTERNAL',
  /** The transport is gone (browser host: socket closed before the answer). */
  Disconnected: 'IPC_DISCONNECTED',
} as const;
export type IpcErrorCode = (typeof IpcErrorCode)[keyof typeof IpcErrorCode];

export const IPC_ERROR_MESSAGES: Readonly<Record<IpcErrorCode, string>> = {
  IPC_BAD_REQUEST: 'The request is not one the companion understands.',
  IPC_INTERNAL: 'The companion could not complete the request.',
  IPC_DISCONNECTED: 'The connection to the companion was lost.',
};

/** What each command takes, in order. */
export interface CommandArgsMap {
  getSnapshot: [];
  submitActivationCode: [serialNo: string, code: string];
  submitNewPin: [serialNo: string, pin: string, confirm: string];
  submitPin: [serialNo: string, pin: string];
  changePin: [serialNo: string, oldPin: string, newPin: string, confirm: string];
  setPin: [serialNo: string, pin: string, confirm: string];
  cancelPrompt: [serialNo: string];
  retryKey: [serialNo: string];
  forgetKey: [serialNo: string];
  setServerUrl: [url: string | null];
  checkServer: [url: string];
}

/** One rule per argument, as many as the command takes. */
type Rules<Args extends readonly unknown[]> = { readonly [I in keyof Args]: InputRule };

/** name → the rule of each argument. Tuples are closed: extra arguments are refused. */
export const COMMANDS: { readonly [N in keyof CommandArgsMap]: Rules<CommandArgsMap[N]> } = {
  getSnapshot: [],
  submitActivationCode: [serialNoRule, activationCodeRule],
  submitNewPin: [serialNoRule, pinRule, pinRule],
  submitPin: [serialNoRule, pinRule],
  changePin: [serialNoRule, pinRule, pinRule, pinRule],
  setPin: [serialNoRule, pinRule, pinRule],
  cancelPrompt: [serialNoRule],
  retryKey: [serialNoRule],
  forgetKey: [serialNoRule],
  setServerUrl: [orNull(serverUrlRule)],
  checkServer: [serverUrlRule],
};

export type CommandName = keyof typeof COMMANDS;
export const COMMAND_NAMES: readonly CommandName[] = Object.keys(COMMANDS) as CommandName[];
export const isCommandName = (value: unknown): value is CommandName =>
  typeof value === 'string' && Object.hasOwn(COMMANDS, value);

export type CommandArgs<N extends CommandName> = CommandArgsMap[N];

/** What each command's `value` is on success. Actions answer null: nothing flows back. */
export interface CommandValues {
  getSnapshot: AppSnapshot;
  submitActivationCode: null;
  submitNewPin: null;
  submitPin: null;
  changePin: null;
  setPin: null;
  cancelPrompt: null;
  retryKey: null;
  forgetKey: null;
  setServerUrl: null;
  checkServer: null;
}

/** Arguments that hold secrets: their values must never appear in an answer. */
export const SECRET_ARGS: Readonly<Record<CommandName, readonly number[]>> = {
  getSnapshot: [],
  submitActivationCode: [1],
  submitNewPin: [1, 2],
  submitPin: [1],
  changePin: [1, 2, 3],
  setPin: [1, 2],
  cancelPrompt: [],
  retryKey: [],
  forgetKey: [],
  setServerUrl: [],
  checkServer: [],
};

export const ipcError = (code: IpcErrorCode | InputErrorCode): IpcError => ({
  code,
  message: isInputErrorCode(code) ? INPUT_ERROR_MESSAGES[code] : IPC_ERROR_MESSAGES[code],
});
export const failure = (code: IpcErrorCode | InputErrorCode): { ok: false; error: IpcError } => ({
  ok: false,
  error: ipcError(code),
});

export type ParsedCommand = {
  [N in CommandName]: { name: N; args: CommandArgs<N> };
}[CommandName];

/**
 * Validate one call. An input rule that fails answers its own code (the renderer can
 * explain it); anything else malformed is IPC_BAD_REQUEST. Never throws, never echoes.
 */
export function parseCommand(
  name: unknown,
  args: unknown,
): { ok: true; command: ParsedCommand } | { ok: false; error: IpcError } {
  if (!isCommandName(name)) return failure(IpcErrorCode.BadRequest);
  const rules: readonly InputRule[] = COMMANDS[name];
  if (!Array.isArray(args)) return failure(IpcErrorCode.BadRequest);
  const list: readonly unknown[] = args;
  if (list.length !== rules.length) return failure(IpcErrorCode.BadRequest);
  // Only a rule on a well-formed call counts as an input error: a string in the right
  // place that breaks a rule. A wrong shape anywhere makes the whole call a bad request.
  let broken: InputErrorCode | undefined;
  for (const [index, rule] of rules.entries()) {
    const result = rule(list[index]);
    if (result === 'shape') return failure(IpcErrorCode.BadRequest);
    broken ??= result;
  }
  if (broken !== undefined) return failure(broken);
  // A fresh array: the service never holds the caller's.
  return { ok: true, command: { name, args: [...list] } as ParsedCommand };
}

export * from './input-rules';
export * from './ipc-events';
export type * from './snapshot';
