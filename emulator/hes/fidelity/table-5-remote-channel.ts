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
      state: 'differs',
      note: 'With 4.12.',
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
      state: 'differs',
      note: 'Build a session for any announced (vault, workstation).',
    },
    {
      id: '5.4',
      item: 'Verification handshake',
      hes: '`Device.VerifyAndInitialize`: SendResetChannel or SendVerifyCommand → VerifyCommandResponse; SendGetRootKeyCommand → GetRootKeyCommandResponse; each round trip 30 s [SDK]; the set-up completes only after this.',
      state: 'differs',
      note: "In the stand-in, send the three set-up calls in HES's order and wait for the two replies (a non-empty error fails the set-up) before any command; the companion must then relay them to the key like any remote buffer.",
    },
    {
      id: '5.5',
      item: 'Command payload',
      hes: 'SDK/cryptolib encryption between HES and the vault firmware.',
      state: 'differs',
      note: "By design (no cryptolib); must be listed as a hard interoperability limit: neither side can talk to the other's real counterpart.",
    },
    {
      id: '5.6',
      item: '20 s set-up limit',
      hes: 'Starts after EstablishRemoteHwVaultConnection is sent; covers device-hub connect and verification → 512. Callers add a 30 s limit (TimeoutException → 1001).',
      state: 'differs',
      note: 'Stop the timer only after verification (5.4).',
    },
    {
      id: '5.7',
      item: '30 s per round trip',
      hes: 'SDK request timeout; the outcome code comes from the SDK [SDK].',
      state: 'differs',
      note: 'Do not reuse 512; do not close the device hub (5.10).',
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
      state: 'differs',
      note: 'Forget the announcement on device-hub disconnect.',
    },
    {
      id: '5.10',
      item: 'Server closing the device hub',
      hes: 'HES never closes a device-hub connection itself; after an error (615, 1014, a device error) the Device stays for the next call.',
      state: 'differs',
      note: 'Keep the device hub open after failed jobs; close it only when HES would shut the Device (5.8, 5.9).',
    },
    {
      id: '5.11',
      item: '511 / 512 / 605 conditions',
      hes: '3.3, 3.4, 3.8.',
      state: 'differs',
      note: 'As in Table 3.',
    },
  ],
} as const satisfies FidelityTable;
