// The fewest round trips each flow needs under the protocols the companion speaks
// (docs/protocol.md or docs/key3.md for the key, HES's AppHub/DeviceHub contract for
// the server), whoever implements the client: no debounce, poll or settle delay, only
// the link's and the server's own round trips. `licences` is how many licences the
// server hands a blank key (each is loaded and reported applied).
//
// A Hideez Key 3 adds what its protocol cannot do without: the GATT set-up and the
// channel-1 handshake before the first read (RESET, VERIFY, GETROOTKEY), a GETINFO
// after a wrong code (its `E1 13` carries no attempts left), and the server's own
// channel 4, which HES verifies through the companion before its first command
// (RESET + VERIFY relayed to the key; the root-key certificate answered from ours)
// and on which it reads the key's state before deciding (hes-contract.md §2.2 step 2)
// and again after each command (the SDK's RefreshDeviceInfo).
import type { KeyFamily } from '../../device/key/key-connection';
import type { FlowId } from './flow-types';
import type { Step } from './sequence-model';

function openProtocolSteps(flow: FlowId, licences: number): Step[] {
  const licenceSteps = (): Step[] =>
    Array.from({ length: licences }, (): Step[] => [
      { kind: 'key', command: 'LoadLicense', ref: 'each licence goes to the key' },
      { kind: 'call', target: 'HwVaultLicenseApplied', ref: 'and is reported applied' },
    ]).flat();
  switch (flow) {
    case 'appearsOnline':
      return [
        { kind: 'discover', ref: 'the key is seen' },
        { kind: 'open', ref: 'the link is opened' },
        { kind: 'key', command: 'GetInfo', ref: 'identity and flags: one read' },
        {
          kind: 'call',
          target: 'UpdateHwVaultProperties',
          ref: 'Initializing: the server learns the key is here and whether it must act',
        },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Online' },
      ];
    case 'reservedPrompt':
      return [
        { kind: 'discover', ref: 'the key is seen' },
        { kind: 'open', ref: 'the link is opened' },
        { kind: 'key', command: 'GetInfo', ref: 'identity and flags: link required' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Initializing (needStateUpdate)' },
        { kind: 'call', target: 'GetHwVaultLicenses', ref: 'a blank key holds no licence' },
        ...licenceSteps(),
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: 'the server links the key' },
        { kind: 'hub', ref: 'the server reaches the key over /deviceHub' },
        { kind: 'relay', what: 'Link', ref: 'sealed Link (master key, code, attempts)' },
        {
          kind: 'key',
          command: 'GetInfo',
          ref: 'the sealed reply is opaque to the companion: one read shows the code lock',
        },
      ];
    case 'wrongCode':
      return [
        {
          kind: 'key',
          command: 'UnlockWithCode',
          ref: 'the failure carries attemptsRemain (protocol §4.1)',
        },
      ];
    case 'codeActive':
      return [
        { kind: 'key', command: 'UnlockWithCode', ref: 'OK: the key is unlocked' },
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: 'the server activates the key' },
        { kind: 'relay', what: 'Access', ref: 'sealed Access (the profile); session still open' },
      ];
  }
}

/** Until the key is named: seen, GATT set-up, the channel-1 handshake, GETINFO. */
const key3Opening = (info: string): Step[] => [
  { kind: 'discover', ref: 'the key is seen (advertisement)' },
  {
    kind: 'open',
    ref: 'GATT set-up: service, characteristics, info read, subscribe, 02 01 (written with response)',
  },
  { kind: 'key', command: 'VERIFY', ref: 'RESET, then the handshake: VERIFY → VERIFYREPLY' },
  {
    kind: 'key',
    command: 'GETROOTKEY',
    ref: 'the first sealed request: the certificate that proves the key genuine',
  },
  { kind: 'key', command: 'GETINFO', ref: info },
];

function key3Steps(flow: FlowId, licences: number): Step[] {
  const licenceSteps = (): Step[] =>
    Array.from({ length: licences }, (): Step[] => [
      { kind: 'key', command: 'LOADLICENSE', ref: 'into slot i: a blank key holds none' },
      { kind: 'call', target: 'HwVaultLicenseApplied', ref: 'and is reported applied' },
    ]).flat();
  switch (flow) {
    case 'appearsOnline':
      return [
        ...key3Opening('identity and flags: one read'),
        {
          kind: 'call',
          target: 'UpdateHwVaultProperties',
          ref: 'Initializing: the server learns the key is here and whether it must act',
        },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Online' },
      ];
    case 'reservedPrompt':
      return [
        ...key3Opening('identity and flags: link required'),
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Initializing (needStateUpdate)' },
        { kind: 'call', target: 'GetHwVaultLicenses', ref: 'a blank key holds no licence' },
        ...licenceSteps(),
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: 'the server links the key' },
        { kind: 'hub', ref: 'the server reaches the key over /deviceHub' },
        {
          kind: 'relay',
          what: 'SendVerifyCommand',
          key: 'VERIFY',
          ref: "the server's channel 4: RESET, VERIFY → VERIFYREPLY",
        },
        {
          kind: 'relay',
          what: 'SendGetRootKeyCommand',
          key: null,
          ref: 'the certificate from our verified channel 1: no key round trip',
        },
        {
          kind: 'relay',
          what: 'GETINFO',
          key: 'GETINFO',
          ref: "HES reads the key's state from the key before it decides",
        },
        { kind: 'relay', what: 'LINK', key: 'LINK', ref: 'LINK (master key, code, attempts)' },
        { kind: 'relay', what: 'GETINFO', key: 'GETINFO', ref: 'HES reads the state back' },
        {
          kind: 'key',
          command: 'GETINFO',
          ref: "the key's STATUS says locked, not why nor the attempts left: one read",
        },
      ];
    case 'wrongCode':
      return [
        {
          kind: 'key',
          command: 'UNLOCKDEVICECODE',
          ref: 'E1 13: wrong, with no attempts left in it',
        },
        { kind: 'key', command: 'GETINFO', ref: 'the attempts left' },
      ];
    case 'codeActive':
      return [
        { kind: 'key', command: 'UNLOCKDEVICECODE', ref: 'A0 02: the key is unlocked' },
        { kind: 'call', target: 'UpdateHwVaultStatus', ref: 'the server activates the key' },
        {
          kind: 'relay',
          what: 'GETINFO',
          key: 'GETINFO',
          ref: "HES reads the key's state before it decides (channel 4 still verified)",
        },
        { kind: 'relay', what: 'ACCESS', key: 'ACCESS', ref: 'ACCESS (the profile)' },
        { kind: 'relay', what: 'GETINFO', key: 'GETINFO', ref: 'HES reads the state back' },
      ];
  }
}

export function minimumSteps(flow: FlowId, licences: number, family: KeyFamily = 'open'): Step[] {
  return family === 'key3' ? key3Steps(flow, licences) : openProtocolSteps(flow, licences);
}
