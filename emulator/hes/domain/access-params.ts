// A HES access profile as the AccessParams the key receives with Access (hes-contract.md §1.4).
import type { AccessParams } from '../../remote-channel/ops';
import type { ProfileRecord } from '../store/records';

export const accessParams = (p: ProfileRecord): AccessParams => ({
  masterKeyBond: p.masterKeyPairing,
  masterKeyConnect: p.masterKeyConnection,
  masterKeyChannel: p.masterKeyStorageAccess,
  buttonBond: p.buttonPairing,
  buttonConnect: p.buttonConnection,
  buttonChannel: p.buttonStorageAccess,
  pinBond: p.pinPairing,
  pinConnect: p.pinConnection,
  pinChannel: p.pinStorageAccess,
  pinMinLength: p.pinLength,
  pinMaxTries: p.pinTryCount,
  pinExpirationSeconds: p.pinExpiration,
  buttonExpirationSeconds: 0,
  masterKeyExpirationSeconds: 0,
});
