// Table 5 of the stand-in's fidelity to HES 3.8.4: remote channel set-up and teardown. Each row says what HES does
// and whether the stand-in does the same; a deliberate difference carries its reason, an open
// one what is left. test/emulator/hes/fidelity proves every row that is not open.
import type { FidelityTable } from './fidelity-row';

export const REMOTE_CHANNEL = {
  number: '5',
  title: 'Remote channel set-up and teardown',
  rows: [
    {
      id: '5.1',
      item: 'Workstation choice',
      hes: "Caller's workstation; for background jobs a workstation with a live Device, else the first announced (`DRC.ConnectDevice`).",
      state: 'same',
    },
    {
      id: '5.2',
      item: 'Reuse / shared pending set-up',
      hes: 'Reuses the Device while its announcement lives; concurrent callers await one set-up.',
      state: 'same',
    },
    {
      id: '5.3',
      item: 'Device-hub connect',
      hes: 'Accepted if the vault is announced through that workstation, **even with no pending set-up**: the server builds a Device and verifies it.',
      state: 'same',
      note: "Including HES's quirk: when no set-up waits, the verified session is dropped (a NullReferenceException in OnDeviceHubConnected), so the next call asks for a channel again.",
    },
    {
      id: '5.4',
      item: 'Verification handshake',
      hes: '`Device.VerifyAndInitialize`: SendResetChannel or SendVerifyCommand → VerifyCommandResponse; SendGetRootKeyCommand → GetRootKeyCommandResponse; each round trip 30 s [SDK]; the set-up completes only after this.',
      state: 'same',
      note: 'Per family: an open-protocol vault gets reset and verify (no root key), a Key 3 vault reset, verify and root key.',
    },
    {
      id: '5.5',
      item: 'Command payload',
      hes: 'SDK/cryptolib encryption between HES and the vault firmware.',
      state: 'deliberate',
      note: "Per family. A Hideez Key 3 vault's payload is the real Key 3 channel (the device layer's session and codecs, byte-exact to the vendor's vectors); what the SDK wraps around it is not visible. An open-protocol vault's payload is the project's own sealed format (there is no cryptolib): no real HES or vault speaks it, a hard interoperability limit by design.",
    },
    {
      id: '5.6',
      item: '20 s set-up limit',
      hes: 'Starts after EstablishRemoteHwVaultConnection is sent; covers device-hub connect and verification → 512. Callers add a 30 s limit (TimeoutException → 1001).',
      state: 'same',
    },
    {
      id: '5.7',
      item: '30 s per round trip',
      hes: 'SDK request timeout; the outcome code comes from the SDK [SDK].',
      state: 'same',
      note: "The SDK's code for a timed-out request is not visible: 1001 with .NET's TimeoutException text, HES's answer to a non-SDK exception. The device hub and the session stay.",
    },
    {
      id: '5.8',
      item: 'Teardown on vault Offline / AppHub disconnect',
      hes: 'Announcement removed and Device shut (`DRC.OnDeviceDisconnected`, `OnAppHubDisconnected`).',
      state: 'same',
    },
    {
      id: '5.9',
      item: 'Teardown on device-hub disconnect',
      hes: '`DRC.OnDeviceHubDisconnected` removes the **announcement** too: the next status/auth/accounts call answers 511 until the client reports Initializing again.',
      state: 'same',
    },
    {
      id: '5.10',
      item: 'Server closing the device hub',
      hes: 'HES never closes a device-hub connection itself; after an error (615, 1014, a device error) the Device stays for the next call.',
      state: 'same',
    },
    {
      id: '5.11',
      item: '511 / 512 / 605 conditions',
      hes: '3.3, 3.4, 3.8.',
      state: 'same',
    },
  ],
} as const satisfies FidelityTable;
