// The fewest round trips each flow needs under the protocols the companion speaks
// (docs/protocol.md for the key, HES's AppHub/DeviceHub contract for the server),
// whoever implements the client. `licences` is how many licences the server hands a
// blank key (each is loaded and reported applied).
import type { FlowId } from './flow-types';
import type { Step } from './sequence-model';

export function minimumSteps(flow: FlowId, licences: number): Step[] {
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
