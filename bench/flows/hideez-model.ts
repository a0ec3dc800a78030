// The Windows Hideez Client's sequence for the same four flows, modelled from the
// behaviour study (/work/shared/reference/hideez-client-behaviour.md; sections cited
// per step, behaviour paraphrased). Its closed SDK (§11.1) hides how many exchanges
// some steps take; where it does, the model takes the fewest possible, so the
// Hideez figures are lower bounds. The client speaks BLE only (§9.5): on the USB
// profile its sequence is priced as if it ran over that link.
//
// Assumptions, each favouring the Hideez Client:
// - the Windows session is unlocked, so there is no user-authorization step (§1.2 step 16);
// - an Active key reconnecting needs no licence, state update or master key (§1.4, §4.2,
//   §1.5: HES's default profile asks for the master key on pairing only, §3.2);
// - the SDK's vault initialization (§1.3) is one info read;
// - HES verifies a new remote channel with two relayed round trips, SendVerifyCommand
//   and SendGetRootKeyCommand (§5.4), then keeps the session for the rest of the flow;
// - a new bond's button press (§1.3) and the 1.5 s pause after each flow (§1.1, §1.8)
//   are left out.
import type { FlowId } from './flow-types';
import type { Step } from './sequence-model';

export const HIDEEZ_NOTES: readonly string[] = [
  'Hideez Client: modelled from hideez-client-behaviour.md §1.2–§1.5, §2, §4.2, §5.4 (lower bounds).',
  'It handles one key at a time for the whole machine (§1.1): N keys take at least N × one key.',
];

export function hideezSteps(flow: FlowId, licences: number): Step[] {
  const licenceSteps = (): Step[] =>
    Array.from({ length: licences }, (): Step[] => [
      { kind: 'key', command: 'LoadLicense', ref: '§1.4 load into a free slot' },
      { kind: 'call', target: 'HwVaultLicenseApplied', ref: '§1.4 report it applied' },
    ]).flat();
  switch (flow) {
    case 'appearsOnline':
      return [
        { kind: 'discover', ref: '§1.1 advertisement in range' },
        { kind: 'open', ref: '§1.3 ConnectVault' },
        { kind: 'key', command: 'GetInfo', ref: '§1.3 WaitVaultInitialization' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 9 (Initializing)' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 20 (Online)' },
      ];
    case 'reservedPrompt':
      return [
        { kind: 'discover', ref: '§1.1 advertisement in range' },
        { kind: 'open', ref: '§1.3 ConnectVault' },
        { kind: 'key', command: 'GetInfo', ref: '§1.3 WaitVaultInitialization' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 9' },
        { kind: 'call', target: 'GetHwVaultLicenses', ref: '§1.4 link required' },
        ...licenceSteps(),
        { kind: 'key', command: 'GetInfo', ref: '§1.4 RefreshDeviceInfo' },
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: '§4.1 NeedStateUpdate' },
        { kind: 'hub', ref: '§5.3 EstablishRemoteHwVaultConnection' },
        { kind: 'relay', what: 'SendVerifyCommand', ref: '§5.4 VerifyAndInitialize' },
        { kind: 'relay', what: 'SendGetRootKeyCommand', ref: '§5.4 VerifyAndInitialize' },
        { kind: 'relay', what: 'Link', ref: '§4.2 Reserved, link required' },
        { kind: 'key', command: 'GetInfo', ref: '§4.1 RefreshDeviceInfo' },
      ];
    case 'wrongCode':
      return [
        { kind: 'key', command: 'UnlockWithCode', ref: '§2 step 4 UnlockDeviceCode' },
        { kind: 'key', command: 'GetInfo', ref: '§2 step 5 RefreshDeviceInfo' },
      ];
    case 'codeActive':
      return [
        { kind: 'key', command: 'UnlockWithCode', ref: '§2 step 4 UnlockDeviceCode' },
        { kind: 'key', command: 'GetInfo', ref: '§2 step 5 RefreshDeviceInfo' },
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: '§2 step 9' },
        { kind: 'relay', what: 'Access', ref: '§4.2 Reserved, not locked → Access' },
      ];
  }
}
