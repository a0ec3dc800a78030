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
//
// Our open protocol's server channel is set up the same way (protocol.md §7.6): a status
// update opens a /deviceHub, SendResetChannel (nothing reaches the key) and
// SendVerifyCommand (the key's VerifyChannel, answered by VerifyCommandResponse), then
// GetState (HES's RefreshDeviceInfo before it decides), then the command (Link, Access);
// a sealed reply carries the key's state, so HES reads nothing back. The PIN flows: the
// key names the PIN it wants in GetInfo, EnterPin's failure carries the attempts left,
// and the server hears Online after it. A Key 3 is read after ENTERPIN: its E1 13 carries
// no attempts, and when it sends STATUS is unknown (the reference's §7), so nothing else
// can be relied on to tell what the PIN did.
import type { KeyFamily } from '../../device/key/key-connection';
import type { FlowId } from './flow-types';
import type { Step } from './sequence-model';

/** The server's status update on a new channel: its /deviceHub, VerifyChannel, GetState. */
const openStatusUpdate = (): Step[] => [
  { kind: 'call', target: 'UpdateHwVaultStatus', ref: 'the server links the key' },
  {
    kind: 'hub',
    ref: 'EstablishRemoteHwVaultConnection: the server reaches the key over a new /deviceHub',
  },
  {
    kind: 'relay',
    what: 'SendVerifyCommand',
    key: 'VerifyChannel',
    ref: 'the server verifies its new channel (its SendResetChannel before it reaches no key, protocol §7.6)',
  },
  {
    kind: 'relay',
    what: 'GetState',
    ref: "HES reads the key's state from the key before it decides (RefreshDeviceInfo, hes-contract.md §2.2 step 2)",
  },
];

function openProtocolSteps(flow: FlowId, licences: number): Step[] {
  const licenceSteps = (): Step[] =>
    Array.from({ length: licences }, (): Step[] => [
      { kind: 'key', command: 'LoadLicense', ref: 'each licence goes to the key' },
      { kind: 'call', target: 'HwVaultLicenseApplied', ref: 'and is reported applied' },
    ]).flat();
  const opening = (info: string): Step[] => [
    { kind: 'discover', ref: 'the key is seen' },
    { kind: 'open', ref: 'the link is opened (CTAPHID INIT; BLE connect and GATT set-up)' },
    { kind: 'key', command: 'GetInfo', ref: info },
  ];
  switch (flow) {
    case 'appearsOnline':
      return [
        ...opening('identity and flags: one read'),
        {
          kind: 'call',
          target: 'UpdateHwVaultProperties',
          ref: 'Initializing: the server learns the key is here and whether it must act',
        },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Online' },
      ];
    case 'reservedPrompt':
      return [
        ...opening('identity and flags: link required'),
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Initializing (needStateUpdate)' },
        { kind: 'call', target: 'GetHwVaultLicenses', ref: 'a blank key holds no licence' },
        ...licenceSteps(),
        ...openStatusUpdate(),
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
          ref: 'the failure carries attemptsRemain (protocol §5.2)',
        },
      ];
    case 'codeActive':
      return [
        { kind: 'key', command: 'UnlockWithCode', ref: 'OK: the key is unlocked' },
        {
          kind: 'call',
          target: 'UpdateHwVaultStatus',
          ref: 'at once, as the Hideez Client does (behaviour §2 step 9): the server activates the key',
        },
        {
          kind: 'relay',
          what: 'GetState',
          ref: "HES reads the key's state before it decides (its channel is still verified)",
        },
        { kind: 'relay', what: 'Access', ref: 'sealed Access (the profile)' },
      ];
    case 'pinPrompt':
      return [
        ...opening('identity and flags: PIN required'),
        {
          kind: 'call',
          target: 'UpdateHwVaultProperties',
          ref: "Initializing: the server's word before a secret is asked for (hes-contract.md §2.3)",
        },
      ];
    case 'pinOnline':
      return [
        { kind: 'key', command: 'EnterPin', ref: 'OK: the PIN is verified (protocol §5.3)' },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Online' },
      ];
    case 'wrongPin':
      return [
        {
          kind: 'key',
          command: 'EnterPin',
          ref: 'the failure carries attemptsRemain (protocol §5.3)',
        },
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
    case 'pinPrompt':
      return [
        ...key3Opening('identity and flags: PIN required'),
        {
          kind: 'call',
          target: 'UpdateHwVaultProperties',
          ref: "Initializing: the server's word before a secret is asked for",
        },
      ];
    case 'pinOnline':
      return [
        { kind: 'key', command: 'ENTERPIN', ref: 'A0 02: the PIN is verified' },
        {
          kind: 'key',
          command: 'GETINFO',
          ref: 'what the PIN opened: when the key sends STATUS is unknown (reference §7), so it is read',
        },
        { kind: 'call', target: 'UpdateHwVaultProperties', ref: 'Online' },
      ];
    case 'wrongPin':
      return [
        { kind: 'key', command: 'ENTERPIN', ref: 'E1 13: wrong, with no attempts left in it' },
        {
          kind: 'key',
          command: 'GETINFO',
          ref: 'the attempts left: whether a STATUS follows at once is unknown (reference §5.3, §7)',
        },
      ];
  }
}

export function minimumSteps(flow: FlowId, licences: number, family: KeyFamily = 'open'): Step[] {
  return family === 'key3' ? key3Steps(flow, licences) : openProtocolSteps(flow, licences);
}
