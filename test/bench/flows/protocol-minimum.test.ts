// The protocol minimum and the Hideez Client's sequence as steps: what each flow must
// contain (the server's channel set-up of a status update, the one read after a Link,
// the PIN flows), and how the steps are counted.
import { describe, expect, it } from 'vitest';
import { FLOW_IDS } from '../../../bench/flows/flow-types';
import { hideezSteps } from '../../../bench/flows/hideez-model';
import { minimumSteps } from '../../../bench/flows/protocol-minimum';
import { countSteps, type Step } from '../../../bench/flows/sequence-model';

/** A step as a short name: GetInfo, call:UpdateHwVaultStatus, relay:Link→RemoteCommand, hub. */
const names = (steps: readonly Step[]): string[] =>
  steps.map((s) => {
    switch (s.kind) {
      case 'key':
        return s.command;
      case 'call':
        return `call:${s.target}`;
      case 'relay':
        return `relay:${s.what}→${s.key === undefined ? 'RemoteCommand' : String(s.key)}`;
      default:
        return s.kind;
    }
  });

describe('the open protocol minimum', () => {
  it('Reserved → prompt: hub, VerifyChannel, GetState and Link relays, then one GetInfo', () => {
    expect(names(minimumSteps('reservedPrompt', 0))).toEqual([
      'discover',
      'open',
      'GetInfo',
      'call:UpdateHwVaultProperties',
      'call:GetHwVaultLicenses',
      'call:UpdateHwVaultStatus',
      'hub',
      'relay:SendVerifyCommand→VerifyChannel',
      'relay:GetState→RemoteCommand',
      'relay:Link→RemoteCommand',
      'GetInfo',
    ]);
    const counts = countSteps(minimumSteps('reservedPrompt', 0));
    // GetInfo twice, VerifyChannel, GetState, Link.
    expect(counts).toMatchObject({ keyExchanges: 5, relayed: 3, hubConnections: 1 });
    // Three calls, three relays answered, three round trips for the hub.
    expect(counts.serverRoundTrips).toBe(9);
  });

  it('licences are loaded and reported before the status update', () => {
    const steps = names(minimumSteps('reservedPrompt', 2));
    expect(steps.filter((s) => s === 'LoadLicense')).toHaveLength(2);
    expect(steps.indexOf('call:HwVaultLicenseApplied')).toBeLessThan(
      steps.indexOf('call:UpdateHwVaultStatus'),
    );
  });

  it('code → Active: the code, the status update at once, GetState and Access on the verified channel', () => {
    expect(names(minimumSteps('codeActive', 0))).toEqual([
      'UnlockWithCode',
      'call:UpdateHwVaultStatus',
      'relay:GetState→RemoteCommand',
      'relay:Access→RemoteCommand',
    ]);
  });

  it('a wrong code or PIN is one exchange: its failure carries the attempts left', () => {
    expect(names(minimumSteps('wrongCode', 0))).toEqual(['UnlockWithCode']);
    expect(names(minimumSteps('wrongPin', 0))).toEqual(['EnterPin']);
  });

  it('the PIN flows: GetInfo and the server before the prompt, EnterPin then Online', () => {
    expect(names(minimumSteps('pinPrompt', 0))).toEqual([
      'discover',
      'open',
      'GetInfo',
      'call:UpdateHwVaultProperties',
    ]);
    expect(names(minimumSteps('pinOnline', 0))).toEqual([
      'EnterPin',
      'call:UpdateHwVaultProperties',
    ]);
  });

  it('has nothing of ours: no fixed wait in any flow of either family', () => {
    for (const family of ['open', 'key3'] as const) {
      for (const flow of FLOW_IDS) {
        expect(minimumSteps(flow, 0, family).some((s) => s.kind === 'wait')).toBe(false);
      }
    }
  });
});

describe('the Hideez Key 3 minimum', () => {
  it('a PIN is followed by a GETINFO: E1 13 carries no attempts, and when STATUS comes is unknown', () => {
    expect(names(minimumSteps('wrongPin', 0, 'key3'))).toEqual(['ENTERPIN', 'GETINFO']);
    expect(countSteps(minimumSteps('wrongPin', 0, 'key3')).keyExchanges).toBe(2);
    expect(names(minimumSteps('pinOnline', 0, 'key3'))).toEqual([
      'ENTERPIN',
      'GETINFO',
      'call:UpdateHwVaultProperties',
    ]);
  });

  it('the PIN prompt needs the opening handshake: VERIFY, GETROOTKEY, GETINFO', () => {
    expect(names(minimumSteps('pinPrompt', 0, 'key3'))).toEqual([
      'discover',
      'open',
      'VERIFY',
      'GETROOTKEY',
      'GETINFO',
      'call:UpdateHwVaultProperties',
    ]);
    expect(countSteps(minimumSteps('pinPrompt', 0, 'key3')).keyExchanges).toBe(3);
  });
});

describe("the Hideez Client's sequence", () => {
  it('reads the key after a PIN, right or wrong', () => {
    expect(names(hideezSteps('pinOnline', 0))).toEqual([
      'EnterPin',
      'GetInfo',
      'call:UpdateHwVaultProperties',
    ]);
    expect(names(hideezSteps('wrongPin', 0))).toEqual(['EnterPin', 'GetInfo']);
    expect(names(hideezSteps('wrongPin', 0, 'key3'))).toEqual(['ENTERPIN', 'GETINFO']);
  });

  it('gets the same HES: a GetState before the Link and before the Access', () => {
    const prompt = names(hideezSteps('reservedPrompt', 0));
    expect(prompt.indexOf('relay:GetState→RemoteCommand')).toBeLessThan(
      prompt.indexOf('relay:Link→RemoteCommand'),
    );
    expect(prompt).toContain('relay:SendVerifyCommand→VerifyChannel');
    expect(names(hideezSteps('codeActive', 0))).toContain('relay:GetState→RemoteCommand');
  });

  it('never has fewer key round trips than the minimum', () => {
    for (const family of ['open', 'key3'] as const) {
      for (const flow of FLOW_IDS) {
        const minimum = countSteps(minimumSteps(flow, 0, family)).keyExchanges;
        expect(countSteps(hideezSteps(flow, 0, family)).keyExchanges).toBeGreaterThanOrEqual(
          minimum,
        );
      }
    }
  });
});
