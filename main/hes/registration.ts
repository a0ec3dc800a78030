// Workstation registration and approval (hes-contract.md §4.2, §4.8 step 2):
// RegisterWorkstationInfo on every (re)connect; 604 → not approved (the connection
// stays, registration is retried periodically and at once on WorkstationApproved);
// 618 → alarm. The server's pushes change the approval and alarm flags at once.
// The gate checks approval before the alarm, so 618 also tells us we are approved.
import { HesErrorCode } from '../../shared/errors/hes-error-code';
import type { WorkstationInfoDto } from '../../shared/hes/dto';
import { isHesError } from './hes-error';
import { reconnectDelay, type ReconnectOptions } from './reconnect-policy';

export type RegistrationOutcome =
  | { readonly kind: 'registered' }
  | { readonly kind: 'notApproved' }
  | { readonly kind: 'alarm' }
  /** Anything else (timeout, 1001, malformed answer): retried with the reconnect policy. */
  | { readonly kind: 'failed'; readonly code: number; readonly reason: string };

export interface RegistrationOptions {
  readonly workstationId: string;
  readonly workstationInfo: () => WorkstationInfoDto;
  readonly register: (dto: WorkstationInfoDto) => Promise<void>;
  /** Period of the retry while not approved or in alarm (default 30 s). */
  readonly retryMs: number;
  readonly reconnect: ReconnectOptions;
  readonly random?: () => number;
  /** Called after every outcome that still holds (nothing newer changed the flags). */
  readonly onChange: () => void;
  readonly onFailure?: (outcome: RegistrationOutcome & { kind: 'failed' }) => void;
}

export class Registration {
  /** Registered on the current connection (its outcome known). */
  registered = false;
  /** Approved by an admin, as far as we know (false until the server says). */
  approved = false;
  /** The global alarm; starts from the stored value the caller passes in workstationInfo. */
  alarm: boolean | undefined;
  private epoch = 0;
  private running = false;
  private again = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private live = false;

  constructor(private readonly options: RegistrationOptions) {}

  /** A new connection is up: register on it. */
  connected(): void {
    this.live = true;
    this.registered = false;
    this.failures = 0;
    this.epoch++;
    this.run();
  }

  /** The connection is gone: forget this connection's outcome, stop retrying. */
  disconnected(): void {
    this.live = false;
    this.registered = false;
    this.epoch++;
    this.cancelRetry();
  }

  /** WorkstationApproved: approved at once, then registered again (proximity list). */
  approvedByServer(): void {
    this.approved = true;
    this.pushed();
    this.run();
  }

  /** WorkstationUnapproved: not approved at once; registration retried periodically. */
  unapprovedByServer(): void {
    this.approved = false;
    this.pushed();
    this.retryIn(this.options.retryMs);
  }

  /** SetAlarmState(on): the alarm flag at once; when it clears, register again. */
  alarmByServer(on: boolean): void {
    this.alarm = on;
    this.pushed();
    if (on) this.retryIn(this.options.retryMs);
    else this.run();
  }

  dispose(): void {
    this.live = false;
    this.epoch++;
    this.cancelRetry();
  }

  private pushed(): void {
    // A registration answer already on its way was decided before this push.
    this.epoch++;
    this.options.onChange();
  }

  private run(): void {
    if (!this.live) return;
    this.cancelRetry();
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.once().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.run();
      }
    });
  }

  private async once(): Promise<void> {
    const epoch = this.epoch;
    const info = this.options.workstationInfo();
    this.alarm ??= info.isAlarmTurnOn;
    const dto: WorkstationInfoDto = {
      ...info,
      id: this.options.workstationId,
      isAlarmTurnOn: this.alarm,
    };
    let outcome: RegistrationOutcome;
    try {
      await this.options.register(dto);
      outcome = { kind: 'registered' };
    } catch (e) {
      if (isHesError(e, HesErrorCode.HesWorkstationNotApproved)) outcome = { kind: 'notApproved' };
      else if (isHesError(e, HesErrorCode.HesAlarm)) outcome = { kind: 'alarm' };
      else
        outcome = {
          kind: 'failed',
          code: isHesError(e) ? e.code : HesErrorCode.UnknownError,
          reason: isHesError(e) ? e.reason : 'error',
        };
    }
    if (!this.live || epoch !== this.epoch) return;
    this.apply(outcome);
  }

  private apply(outcome: RegistrationOutcome): void {
    switch (outcome.kind) {
      case 'registered':
        this.registered = true;
        this.approved = true;
        this.alarm = false;
        this.failures = 0;
        break;
      case 'notApproved':
        this.registered = true;
        this.approved = false;
        this.retryIn(this.options.retryMs);
        break;
      case 'alarm':
        this.registered = true;
        this.approved = true;
        this.alarm = true;
        this.retryIn(this.options.retryMs);
        break;
      case 'failed':
        this.options.onFailure?.(outcome);
        this.retryIn(reconnectDelay(this.failures++, this.options.reconnect, this.options.random));
        break;
    }
    this.options.onChange();
  }

  private retryIn(ms: number): void {
    this.cancelRetry();
    if (!this.live) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, ms);
  }

  private cancelRetry(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
