// Typed questions about the vault lifecycle, answered from the one table in
// action-table.ts: may this action run in this status, and where does it lead.
// The UI, the workflow and the HES stand-in all ask here instead of re-deciding.
import type { HesErrorCode } from '../errors/hes-error-code';
import {
  ACTION_TABLE,
  Effect,
  type ActionCell,
  type ActionOutcome,
  type ActionRejection,
} from './action-table';
import { LIFECYCLE_ACTION_IDS, type LifecycleAction } from './lifecycle-action';
import {
  isVaultStatus,
  VAULT_STATUSES,
  VaultStatusReason,
  vaultStatusName,
  VaultStatus,
} from './vault-status';

/** Every key starts in Ready when HES imports it (admin action A9). */
export const INITIAL_STATUS: VaultStatus = VaultStatus.Ready;
/** No action leads out of these. */
export const TERMINAL_STATUSES: readonly VaultStatus[] = [VaultStatus.Compromised];

/** Reasons the admin picks when removing a key from its employee (the REST API accepts any). */
export type RemovalReason = typeof VaultStatusReason.Withdrawal | typeof VaultStatusReason.Broken;
export const REMOVAL_REASONS: readonly RemovalReason[] = [
  VaultStatusReason.Withdrawal,
  VaultStatusReason.Broken,
];
/** Reasons the admin picks when marking a key compromised. */
export type CompromiseReason = typeof VaultStatusReason.Lost | typeof VaultStatusReason.Stolen;
export const COMPROMISE_REASONS: readonly CompromiseReason[] = [
  VaultStatusReason.Lost,
  VaultStatusReason.Stolen,
];

/**
 * The reasons a vault in each status may carry. Locked keeps whatever reason it had (HES never sets
 * InvalidActivationCode or LockedByInvalidPin; the companion infers them from the key's flags).
 */
export const STATUS_REASONS: Readonly<Record<VaultStatus, readonly VaultStatusReason[]>> = {
  [VaultStatus.Ready]: [VaultStatusReason.None],
  [VaultStatus.Reserved]: [VaultStatusReason.None],
  [VaultStatus.Active]: [VaultStatusReason.None],
  [VaultStatus.Locked]: [
    VaultStatusReason.None,
    VaultStatusReason.InvalidActivationCode,
    VaultStatusReason.LockedByInvalidPin,
  ],
  [VaultStatus.Suspended]: [VaultStatusReason.None],
  [VaultStatus.Deactivated]: REMOVAL_REASONS,
  [VaultStatus.Compromised]: COMPROMISE_REASONS,
};

/** What the cells that depend on it need: has the status already reached the key (HES IsStatusApplied)? */
export interface ActionContext {
  readonly statusApplied: boolean;
}
/** Without a context the status is taken as applied: the usual case once the key has been connected. */
export const DEFAULT_ACTION_CONTEXT: ActionContext = { statusApplied: true };

/** The raw cell of the table, which may still depend on the context. */
export function actionCell(status: VaultStatus, action: LifecycleAction): ActionCell {
  const row = ACTION_TABLE[action];
  if (!row) throw new TypeError(`unknown lifecycle action ${String(action)}`);
  if (!isVaultStatus(status)) throw new TypeError(`unknown vault status ${String(status)}`);
  return row[vaultStatusName(status)];
}

export function resolveCell(cell: ActionCell, context: ActionContext): ActionOutcome {
  if (cell.result !== 'depends') return cell;
  return context.statusApplied ? cell.applied : cell.notApplied;
}

/** Whether `action` succeeds in `status` and what it leads to, or why it is rejected. */
export function canPerform(
  status: VaultStatus,
  action: LifecycleAction,
  context: ActionContext = DEFAULT_ACTION_CONTEXT,
): ActionOutcome {
  return resolveCell(actionCell(status, action), context);
}

export const isAllowed = (
  status: VaultStatus,
  action: LifecycleAction,
  context: ActionContext = DEFAULT_ACTION_CONTEXT,
): boolean => canPerform(status, action, context).result === 'succeeds';

/** An action with the data it carries: removal and compromise need a reason. */
export type LifecycleTrigger =
  | { readonly action: Exclude<LifecycleAction, 'remove' | 'compromise' | 'suspend'> }
  | { readonly action: 'remove'; readonly reason: RemovalReason }
  | {
      readonly action: 'compromise';
      readonly reason: CompromiseReason;
      readonly description?: string;
    }
  | { readonly action: 'suspend'; readonly description?: string };

export interface TransitionContext extends ActionContext {
  /** The reason the vault has now; Locked keeps it (HES sets no reason on Locked). */
  readonly reason?: VaultStatusReason;
}

export type TransitionResult =
  | {
      readonly ok: true;
      readonly from: VaultStatus;
      readonly to: VaultStatus;
      readonly action: LifecycleAction;
      readonly reason: VaultStatusReason;
      /** HES StatusDescription after the action (Suspend and Compromise set it, the others clear it). */
      readonly description?: string;
      readonly effects: readonly Effect[];
      readonly newActivationCode: boolean;
      readonly reply?: HesErrorCode;
    }
  | {
      readonly ok: false;
      readonly from: VaultStatus;
      readonly action: LifecycleAction;
      readonly rejection: ActionRejection;
    };

/** Applies a trigger to a status: the resulting status with its reason, or a typed rejection. */
export function transition(
  status: VaultStatus,
  trigger: LifecycleTrigger,
  context: TransitionContext = DEFAULT_ACTION_CONTEXT,
): TransitionResult {
  const outcome = canPerform(status, trigger.action, context);
  if (outcome.result === 'rejected') {
    return { ok: false, from: status, action: trigger.action, rejection: outcome.rejection };
  }
  const description =
    (trigger.action === 'suspend' || trigger.action === 'compromise') &&
    trigger.description !== undefined
      ? { description: trigger.description }
      : {};
  return {
    ok: true,
    from: status,
    to: outcome.to,
    action: trigger.action,
    reason: reasonAfter(status, outcome.to, trigger, context),
    ...description,
    effects: outcome.effects,
    newActivationCode: outcome.effects.includes(Effect.NewActivationCode),
    ...(outcome.reply === undefined ? {} : { reply: outcome.reply }),
  };
}

function reasonAfter(
  from: VaultStatus,
  to: VaultStatus,
  trigger: LifecycleTrigger,
  context: TransitionContext,
): VaultStatusReason {
  if (trigger.action === 'remove' || trigger.action === 'compromise') {
    return to === VaultStatus.Ready ? VaultStatusReason.None : trigger.reason;
  }
  const current = context.reason ?? VaultStatusReason.None;
  if (to === VaultStatus.Locked || to === from) return current;
  return VaultStatusReason.None;
}

/** One edge of the lifecycle graph, for the docs and for tests. */
export interface LifecycleTransition {
  readonly from: VaultStatus;
  readonly to: VaultStatus;
  readonly action: LifecycleAction;
  /** Set when the edge exists only when the status has (or has not) reached the key. */
  readonly when?: 'statusApplied' | 'statusNotApplied';
  readonly effects: readonly Effect[];
  readonly reply?: HesErrorCode;
  /** The reasons the vault may carry after this edge. */
  readonly reasons: readonly VaultStatusReason[];
  readonly note?: string;
}

function edge(
  from: VaultStatus,
  action: LifecycleAction,
  outcome: ActionOutcome,
  when?: 'statusApplied' | 'statusNotApplied',
): LifecycleTransition[] {
  if (outcome.result !== 'succeeds' || outcome.to === from) return [];
  const reasons =
    action === 'remove' && outcome.to === VaultStatus.Deactivated
      ? REMOVAL_REASONS
      : action === 'compromise'
        ? COMPROMISE_REASONS
        : outcome.to === VaultStatus.Locked
          ? STATUS_REASONS[VaultStatus.Locked]
          : [VaultStatusReason.None];
  return [
    {
      from,
      to: outcome.to,
      action,
      ...(when === undefined ? {} : { when }),
      effects: outcome.effects,
      ...(outcome.reply === undefined ? {} : { reply: outcome.reply }),
      reasons,
      ...(outcome.note === undefined ? {} : { note: outcome.note }),
    },
  ];
}

/** Every status change the table allows, derived from it (self-loops are left out). */
export const LIFECYCLE_TRANSITIONS: readonly LifecycleTransition[] = VAULT_STATUSES.flatMap(
  (from) =>
    LIFECYCLE_ACTION_IDS.flatMap((action) => {
      const cell = actionCell(from, action);
      return cell.result === 'depends'
        ? [
            ...edge(from, action, cell.applied, 'statusApplied'),
            ...edge(from, action, cell.notApplied, 'statusNotApplied'),
          ]
        : edge(from, action, cell);
    }),
);

/** The statuses reachable from `status` in one step. */
export const nextStatuses = (status: VaultStatus): readonly VaultStatus[] => [
  ...new Set(LIFECYCLE_TRANSITIONS.filter((t) => t.from === status).map((t) => t.to)),
];
