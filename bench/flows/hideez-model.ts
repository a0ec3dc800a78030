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
//   and SendGetRootKeyCommand (§5.4; the root key, hidden in the SDK, taken as answered
//   without the key), then keeps the session for the rest of the flow; before it decides
//   it reads the key's state (RefreshDeviceInfo, hes-contract.md §2.2 step 2), as with
//   any client;
// - a new bond's button press (§1.3) and the 1.5 s pause after each flow (§1.1, §1.8)
//   are left out;
// - the PIN flows: the main flow asks for a PIN only in a locked session, through the
//   Credential Provider (§1.2 step 16, §3.1 A); its screen activation and pipe wait
//   (§1.2 step 4) and the Windows logon after the PIN (§1.6) are left out. After a right
//   PIN the key's access level changes, and the service reads the info again
//   (AccessLevelChanged, §11.2); after a wrong one it reads it (§3.1) before it asks again.
//
// With a Hideez Key 3 the client's SDK runs the same GATT set-up and channel-1
// handshake before its first read (reference §1.3 step 6, §5.1), and HES the same
// channel 4 and refreshes as with ours (protocol-minimum.ts); how the SDK answers
// SendGetRootKeyCommand is hidden, so, the fewest, without asking the key.
import type { KeyFamily } from '../../device/key/key-connection';
import type { FlowId } from './flow-types';
import type { Step } from './sequence-model';

export const HIDEEZ_NOTES: readonly string[] = [
  'Hideez Client: modelled from hideez-client-behaviour.md §1.2–§1.5, §2, §3.1, §4.2, §5.4 (lower bounds).',
  'It handles one key at a time for the whole machine (§1.1): N keys take at least N × one key.',
];

export function hideezSteps(flow: FlowId, licences: number, family: KeyFamily = 'open'): Step[] {
  return family === 'key3' ? key3Steps(flow, licences) : openProtocolSteps(flow, licences);
}

function openProtocolSteps(flow: FlowId, licences: number): Step[] {
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
        {
          kind: 'relay',
          what: 'SendVerifyCommand',
          key: 'VerifyChannel',
          ref: '§5.4 VerifyAndInitialize',
        },
        {
          kind: 'relay',
          what: 'SendGetRootKeyCommand',
          key: null,
          ref: '§5.4 VerifyAndInitialize (fewest: no key)',
        },
        { kind: 'relay', what: 'GetState', ref: 'HES refresh before deciding (hes-contract §2.2)' },
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
        { kind: 'relay', what: 'GetState', ref: 'HES refresh before deciding (hes-contract §2.2)' },
        { kind: 'relay', what: 'Access', ref: '§4.2 Reserved, not locked → Access' },
      ];
    case 'pinPrompt':
      return [
        { kind: 'discover', ref: '§1.1 advertisement in range' },
        { kind: 'open', ref: '§1.3 ConnectVault' },
        { kind: 'key', command: 'GetInfo', ref: '§1.3 WaitVaultInitialization' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 9 (Initializing)' },
      ];
    case 'pinOnline':
      return [
        { kind: 'key', command: 'EnterPin', ref: '§3.1 EnterPin' },
        { kind: 'key', command: 'GetInfo', ref: '§11.2 AccessLevelChanged → RefreshDeviceInfo' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 20 (Online)' },
      ];
    case 'wrongPin':
      return [
        { kind: 'key', command: 'EnterPin', ref: '§3.1 EnterPin' },
        { kind: 'key', command: 'GetInfo', ref: '§3.1 RefreshDeviceInfo, then asks again' },
      ];
  }
}

/** ConnectVault and WaitVaultInitialization on a Key 3: GATT, handshake, GETINFO. */
const key3Opening = (): Step[] => [
  { kind: 'discover', ref: '§1.1 advertisement in range' },
  { kind: 'open', ref: '§1.3 ConnectVault (reference §1.3 GATT set-up)' },
  { kind: 'key', command: 'VERIFY', ref: '§1.3 WaitVaultInitialization: RESET, VERIFY' },
  { kind: 'key', command: 'GETROOTKEY', ref: '§1.3 WaitVaultInitialization: GETROOTKEY' },
  { kind: 'key', command: 'GETINFO', ref: '§1.3 WaitVaultInitialization: GETINFO' },
];

function key3Steps(flow: FlowId, licences: number): Step[] {
  const licenceSteps = (): Step[] =>
    Array.from({ length: licences }, (): Step[] => [
      { kind: 'key', command: 'LOADLICENSE', ref: '§1.4 load into a free slot' },
      { kind: 'call', target: 'HwVaultLicenseApplied', ref: '§1.4 report it applied' },
    ]).flat();
  switch (flow) {
    case 'appearsOnline':
      return [
        ...key3Opening(),
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 9 (Initializing)' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 20 (Online)' },
      ];
    case 'reservedPrompt':
      return [
        ...key3Opening(),
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 9' },
        { kind: 'call', target: 'GetHwVaultLicenses', ref: '§1.4 link required' },
        ...licenceSteps(),
        { kind: 'key', command: 'GETINFO', ref: '§1.4 RefreshDeviceInfo' },
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: '§4.1 NeedStateUpdate' },
        { kind: 'hub', ref: '§5.3 EstablishRemoteHwVaultConnection' },
        {
          kind: 'relay',
          what: 'SendVerifyCommand',
          key: 'VERIFY',
          ref: '§5.4 VerifyAndInitialize',
        },
        { kind: 'relay', what: 'SendGetRootKeyCommand', key: null, ref: '§5.4 (fewest: no key)' },
        { kind: 'relay', what: 'GETINFO', key: 'GETINFO', ref: 'HES refresh before deciding' },
        { kind: 'relay', what: 'LINK', key: 'LINK', ref: '§4.2 Reserved, link required' },
        { kind: 'relay', what: 'GETINFO', key: 'GETINFO', ref: 'HES refresh after LINK' },
        { kind: 'key', command: 'GETINFO', ref: '§4.1 RefreshDeviceInfo' },
      ];
    case 'wrongCode':
      return [
        { kind: 'key', command: 'UNLOCKDEVICECODE', ref: '§2 step 4 UnlockDeviceCode' },
        { kind: 'key', command: 'GETINFO', ref: '§2 step 5 RefreshDeviceInfo' },
      ];
    case 'codeActive':
      return [
        { kind: 'key', command: 'UNLOCKDEVICECODE', ref: '§2 step 4 UnlockDeviceCode' },
        { kind: 'key', command: 'GETINFO', ref: '§2 step 5 RefreshDeviceInfo' },
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: '§2 step 9' },
        { kind: 'relay', what: 'GETINFO', key: 'GETINFO', ref: 'HES refresh before deciding' },
        { kind: 'relay', what: 'ACCESS', key: 'ACCESS', ref: '§4.2 Reserved, not locked → Access' },
        { kind: 'relay', what: 'GETINFO', key: 'GETINFO', ref: 'HES refresh after ACCESS' },
      ];
    case 'pinPrompt':
      return [
        ...key3Opening(),
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 9 (Initializing)' },
      ];
    case 'pinOnline':
      return [
        { kind: 'key', command: 'ENTERPIN', ref: '§3.1 EnterPin' },
        { kind: 'key', command: 'GETINFO', ref: '§11.2 AccessLevelChanged → RefreshDeviceInfo' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: '§1.2 step 20 (Online)' },
      ];
    case 'wrongPin':
      return [
        { kind: 'key', command: 'ENTERPIN', ref: '§3.1 EnterPin' },
        { kind: 'key', command: 'GETINFO', ref: '§3.1 RefreshDeviceInfo, then asks again' },
      ];
  }
}
