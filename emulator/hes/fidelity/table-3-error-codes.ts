// Table 3 of the stand-in's fidelity to HES 3.8.4: error codes. Each row says what HES does
// and whether the stand-in does the same; a deliberate difference carries its reason, an open
// one what is left. test/emulator/hes/fidelity proves every row that is not open.
import type { FidelityTable } from './fidelity-row';

export const ERROR_CODES = {
  number: '3',
  title: 'Error codes',
  rows: [
    {
      id: '3.1',
      item: '0 Ok',
      hes: '—',
      state: 'same',
    },
    {
      id: '3.2',
      item: '5 / 7 / 19 and other device codes',
      hes: 'SDK Device commands fail with a HideezException carrying the device code [SDK].',
      state: 'deliberate',
      note: "A key's refusal is passed on in the project's one status catalogue, as `<name> (<n>)`; 5, 7 and 19 are the SDK's own numbers, but the SDK's numbers and names for the firmware's other codes are not visible in HES's source.",
    },
    {
      id: '3.3',
      item: '511 DeviceNotConnectedToAnyHost',
      hes: '`DRC`/`RDCS.ConnectDevice`: the vault has no announcement through this workstation (never announced, said Offline, AppHub gone, **or its device-hub connection closed**); also for an unknown serial, because the connect runs before the DB lookup.',
      state: 'same',
    },
    {
      id: '3.4',
      item: '512 RemoteConnectionTimedOut',
      hes: '`DRC.ConnectDevice`: set-up (device-hub connect **and** verification) not done within 20 s.',
      state: 'same',
      note: "A round trip past its 30 s is 1001 with .NET's TimeoutException text (5.7).",
    },
    {
      id: '3.5',
      item: '600 HesUnknownError',
      hes: 'Never raised by HES code.',
      state: 'same',
    },
    {
      id: '3.6',
      item: '601 / 602 / 603 / 619',
      hes: 'Client-side or SDK-only.',
      state: 'same',
    },
    {
      id: '3.7',
      item: '604 HesWorkstationNotApproved',
      hes: 'Gate (`AppHub.ValidateConnectionAsync`): unknown or unapproved header id.',
      state: 'same',
    },
    {
      id: '3.8',
      item: '605 HesFailedEstablishRemoteDeviceConnection',
      hes: 'Only when `ConnectDevice` returns a null Device (a race after a failed/shut set-up).',
      state: 'same',
      note: 'Only a set-up that ends without a session would answer 605; the cases where the stand-in used to answer 605 now answer 511 or 512, as on HES.',
    },
    {
      id: '3.9',
      item: '607 HesDeviceNotFound',
      hes: '`UpdateHwVaultProperties` (unknown serial), info building, status update after connect, 616/620 validation. Not in the licence methods.',
      state: 'same',
    },
    {
      id: '3.10',
      item: '608 HesEmptyDeviceAccessProfile',
      hes: 'Never raised by HES code.',
      state: 'same',
      note: 'Never sent: a vault without its profile fails where HES reads it (GetAccessParamsAsync), a NullReferenceException (1001).',
    },
    {
      id: '3.11',
      item: '609 HesEmptyMasterKey',
      hes: 'Never raised by HES code.',
      state: 'same',
      note: "The SDK's text for the failed hex conversion of a null master key is not visible; the stand-in answers .NET's NullReferenceException text.",
    },
    {
      id: '3.12',
      item: '610 HesDeviceAuthorizationFailed',
      hes: 'SDK [not raised by HES code].',
      state: 'same',
    },
    {
      id: '3.13',
      item: '611 / 614 / 615',
      hes: 'Status Ready / Compromised / Locked in info and in the status update.',
      state: 'same',
    },
    {
      id: '3.14',
      item: '612 HesDeviceHubDisconnected',
      hes: 'Never raised by HES code (a dropped device hub shuts the SDK Device; the pending command fails inside the SDK).',
      state: 'same',
      note: "A request waiting on a dropped device hub fails at once with 1001: the SDK's own code for a shut Device is not visible, and 1001 is HES's answer to any non-SDK exception.",
    },
    {
      id: '3.15',
      item: '613, 617, 621',
      hes: 'Not raised by HES.',
      state: 'same',
    },
    {
      id: '3.16',
      item: '616 HesDeviceLinkedToAnotherServer',
      hes: 'Info building (sent DTO) and AuthHwVault / unauthorized accounts update (device flags).',
      state: 'same',
    },
    {
      id: '3.17',
      item: '618 HesAlarm',
      hes: 'Gate.',
      state: 'same',
    },
    {
      id: '3.18',
      item: '620 HesVaultWasManuallyWiped',
      hes: 'Same places as 616, always from a DTO or a fresh device read in the validation step.',
      state: 'same',
    },
    {
      id: '3.19',
      item: '1000 UnknownError',
      hes: 'Client default.',
      state: 'same',
    },
    {
      id: '3.20',
      item: '1001 NonHideezException',
      hes: 'Any non-SDK exception (texts: 1.9, 2.31, 2.32).',
      state: 'same',
    },
    {
      id: '3.21',
      item: '1014 DeviceHasBeenWiped',
      hes: 'Deactivated vault after the wipe/reset, as the reply of UpdateHwVaultStatus.',
      state: 'same',
    },
    {
      id: '3.22',
      item: '1026 / 1027 / 1028',
      hes: 'Client side.',
      state: 'same',
    },
    {
      id: '3.23',
      item: 'SignalR completion errors',
      hes: 'Binding failures (1.6–1.8).',
      state: 'same',
    },
  ],
} as const satisfies FidelityTable;
