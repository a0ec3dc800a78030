// main → renderer events: name → zod schema of the payload. State crosses as whole
// snapshots ('snapshot') plus small notices ('notice'); the receiving side (the
// renderer's bridge) validates each payload before use.
import { z } from 'zod';
import { isVaultStatus, isVaultStatusReason } from '../vault/vault-status';
import { MESSAGE_KEYS } from '../view/messages';
import { OFFLINE_REASONS } from '../view/server-state';
import { VIEW_KIND_ORDER, ViewAction, type Severity, type ViewKind } from '../view/view-kind';
import type { AppSnapshot } from './snapshot';

/** What a notice is about: a view the key entered, or its battery running low. */
export type NoticeKind = ViewKind | 'lowBattery';

/** A small event beside the snapshots: something the user should notice about a key. */
export interface Notice {
  serialNo: string;
  kind: NoticeKind;
  severity: Severity;
}

const SEVERITIES = ['progress', 'info', 'success', 'warning', 'error'] as const;
const LINK_STATES = [
  'ready',
  'unavailable',
  'unsupported',
  'unauthorized',
  'poweredOff',
  'resetting',
  'unknown',
] as const;
const FLOW_STEPS = [
  'connecting',
  'reading',
  'reporting',
  'updatingStatus',
  'awaitingActivationCode',
  'verifyingCode',
  'authorizing',
  'syncingAccounts',
  'awaitingNewPin',
  'awaitingPin',
  'verifyingPin',
  'awaitingButton',
  'online',
  'stopped',
] as const;

const count = z.number().int().nonnegative();
const vaultStatus = z.custom<number>(isVaultStatus);
const vaultReason = z.custom<number>(isVaultStatusReason);
const viewKind = z.enum(VIEW_KIND_ORDER as [string, ...string[]]);
const severity = z.enum(SEVERITIES);

const serverConnection = z.discriminatedUnion('state', [
  z.object({ state: z.literal('notConfigured') }),
  z.object({ state: z.literal('connecting') }),
  z.object({ state: z.literal('connected') }),
  z.object({ state: z.literal('notApproved') }),
  z.object({ state: z.literal('alarm') }),
  z.object({
    state: z.literal('offline'),
    reason: z.enum(OFFLINE_REASONS as [string, ...string[]]),
  }),
]);

const prompt = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('activationCode'),
    attemptsRemain: count,
    reason: z.enum(['firstActivation', 'suspension']),
    lastResult: z.enum(['wrong', 'tooShort', 'tooLong']).optional(),
  }),
  z.object({
    kind: z.literal('newPin'),
    minLength: count,
    maxLength: count,
    lastResult: z.enum(['tooShort', 'tooLong', 'mismatch']).optional(),
  }),
  z.object({
    kind: z.literal('pin'),
    attemptsRemain: count,
    minLength: count,
    maxLength: count,
    lastResult: z.literal('wrong').optional(),
  }),
  z.object({ kind: z.literal('button') }),
]);

/** The view's outline; its per-kind params are shared/view's business. */
const keyView = z.object({
  kind: viewKind,
  messageKey: z.enum(MESSAGE_KEYS as [string, ...string[]]),
  params: z.record(z.string(), z.unknown()),
  severity,
  actions: z.array(z.enum(Object.values(ViewAction) as [string, ...string[]])),
});

const historyEntry = z.object({
  time: z.string(),
  from: vaultStatus.nullable(),
  to: vaultStatus,
  reason: vaultReason.nullable(),
  source: z.enum(['server', 'key']),
});

const keySnapshot = z.object({
  serialNo: z.string(),
  name: z.string(),
  link: z.enum(['usb', 'ble']).optional(),
  rssi: z.number().optional(),
  connection: z.enum(['connecting', 'connected', 'disconnected']),
  battery: z.number().optional(),
  firmwareVersion: z.string().optional(),
  minPinLength: count.optional(),
  pin: z.enum(['set', 'notSet']).optional(),
  ownerName: z.string().optional(),
  ownerEmail: z.string().optional(),
  lastSync: z.string().optional(),
  step: z.enum(FLOW_STEPS),
  prompt: prompt.optional(),
  view: keyView,
  serverStatus: vaultStatus.optional(),
  history: z.array(historyEntry),
  error: z.object({ code: z.union([z.string(), z.number()]), message: z.string() }).optional(),
});

const appSnapshotShape = z.object({
  server: z.object({ connection: serverConnection, url: z.string().optional() }),
  links: z.object({
    usb: z.enum(LINK_STATES),
    ble: z.enum(LINK_STATES),
    bleDetail: z.string().optional(),
  }),
  keys: z.array(keySnapshot),
});

const noticeShape = z.object({
  serialNo: z.string(),
  kind: z.union([viewKind, z.literal('lowBattery')]),
  severity,
});

// The outlines above check the shape; the custom wrappers give the exact types.
export const appSnapshotSchema = z.custom<AppSnapshot>(
  (value) => appSnapshotShape.safeParse(value).success,
);
export const noticeSchema = z.custom<Notice>((value) => noticeShape.safeParse(value).success);

/** name → schema of the payload. */
export const EVENTS = {
  snapshot: appSnapshotSchema,
  notice: noticeSchema,
} as const;

export type EventName = keyof typeof EVENTS;
export const EVENT_NAMES: readonly EventName[] = Object.keys(EVENTS) as EventName[];
export interface EventPayloads {
  snapshot: AppSnapshot;
  notice: Notice;
}
export const isEventName = (value: unknown): value is EventName =>
  typeof value === 'string' && Object.hasOwn(EVENTS, value);

/** One pushed event, as main fans it out. */
export type IpcEvent = { [E in EventName]: { name: E; payload: EventPayloads[E] } }[EventName];
