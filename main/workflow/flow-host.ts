// What a key's flow (key-flow.ts) needs from the workflow service: the key, the server, the
// user and the snapshot. Its own module so the flow's steps (license-step.ts, server-call.ts)
// can name it without importing the flow itself.
import type { KeyAnswer, KeyOperation } from '../../device/key/key-operations';
import type {
  HwVaultConnectionState,
  HwVaultInfoFromHesDto,
  HwVaultLicenseDto,
} from '../../shared/hes/dto';
import type { FlowStep, Prompt } from '../../shared/ipc/snapshot';
import type { KeyInfo } from '../../shared/key/key-info';
import type { VaultStatus } from '../../shared/vault/vault-status';
import type { HesClient } from '../hes/hes-client';
import type { HesError } from '../hes/hes-error';
import type { Answer } from './prompt-box';

/** What the flow needs from the service: the key, the server, the user, and the snapshot. */
export interface FlowHost {
  readonly serialNo: string;
  request(operation: KeyOperation, signal: AbortSignal, timeoutMs?: number): Promise<KeyAnswer>;
  readInfo(signal: AbortSignal): Promise<KeyInfo>;
  /** The key took the activation code: it is unlocked (no read needed to know it). */
  codeAccepted(): KeyInfo;
  /** A wrong code's answer carries the attempts left: the key's report without re-reading it. */
  codeAttemptsLeft(attemptsRemain: number): KeyInfo;
  /** The same for a wrong PIN's answer. */
  pinAttemptsLeft(attemptsRemain: number): KeyInfo;
  /** Whether server calls can be made now. */
  serverReady(): boolean;
  /**
   * While the server connection is still being made (the companion just started), waits for
   * its outcome, at most SERVER_FIRST_WORD_MS: a key is checked with the server when it can be.
   */
  serverSettled(signal: AbortSignal): Promise<void>;
  /** How many times the server connection has come up: a new one has not heard of the key. */
  serverEpoch(): number;
  /** The last vault status this workstation recorded for the key (HES never sends one). */
  lastKnownStatus(): VaultStatus | undefined;
  /** Runs a server call, abandoned (not cancelled) when the flow is aborted. */
  server<T>(call: () => Promise<T>, signal: AbortSignal): Promise<T>;
  dto(
    info: KeyInfo,
    state: HwVaultConnectionState,
  ): Parameters<HesClient['updateHwVaultStatus']>[0];
  updateProperties: HesClient['updateHwVaultProperties'];
  updateStatus: HesClient['updateHwVaultStatus'];
  authHwVault(serialNo: string): Promise<void>;
  updateAccounts(serialNo: string, onlyOs: boolean): Promise<void>;
  /** 'new': not applied yet (GetNewHwVaultLicenses); 'active': all current ones (GetHwVaultLicenses). */
  licenses(serialNo: string, which: 'new' | 'active'): Promise<HwVaultLicenseDto[]>;
  licenseApplied(serialNo: string, licenseId: string): Promise<void>;
  setStep(step: FlowStep, prompt?: Prompt): void;
  /** `fromUpdate`: the answer of the status update itself (its status is the one it settled on). */
  setAnswer(answer: HwVaultInfoFromHesDto, fromUpdate?: boolean): void;
  /** Records a failed call; 'gone' ends the flow with the pairing forgotten, 'offline' lets it go on locally. */
  setError(error: HesError): 'gone' | 'offline' | 'refused';
  /** The status could not be reported now: report it when the server is back. */
  reportLater(): void;
  ask(kind: Prompt['kind'], signal: AbortSignal): Promise<Answer>;
  lockedByPin(): void;
  /** The key waits for its activation code (recorded once per pending activation). */
  pendingUnlock(info: KeyInfo): void;
}
