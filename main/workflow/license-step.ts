// The licence step of a key's flow (hideez-client-behaviour.md §1.4): when the server
// says NeedUpdateLicense, load the licences not applied yet; when the key is blank
// (link required: a new or wiped key has none), load every current one. Each goes to
// the key's first free slot; a locked key refuses that, so it gets an explicit slot, as
// the Hideez Client does. Each loaded licence is reported applied. Offline, the step
// is skipped: the server asks again at the next connection.
import { KeyOp, LICENSE_MAX_BYTES, LICENSE_SLOTS } from '../../device/key/key-operations';
import { DeviceErrorCode } from '../../shared/errors/device-error-code';
import type { HwVaultInfoFromHesDto, HwVaultLicenseDto } from '../../shared/hes/dto';
import type { KeyInfo } from '../../shared/key/key-info';
import type { FlowHost } from './flow-host';
import { serverCall } from './server-call';
import { WorkflowError, WorkflowErrorCode } from './workflow-error';

const LOCKED: ReadonlySet<number> = new Set([
  DeviceErrorCode.ERR_DEVICE_LOCKED_BY_CODE,
  DeviceErrorCode.ERR_DEVICE_LOCKED_BY_PIN,
]);

/** Loads what the server asks for; how many licences went to the key. */
export async function loadLicenses(
  host: FlowHost,
  info: KeyInfo,
  answer: HwVaultInfoFromHesDto,
  signal: AbortSignal,
): Promise<number> {
  const which = info.access.linkRequired ? 'active' : answer.needUpdateLicense ? 'new' : undefined;
  if (which === undefined) return 0;
  host.setStep('updatingStatus');
  const licenses = await serverCall(host, () => host.licenses(host.serialNo, which), signal);
  if (licenses === undefined) return 0;
  for (const [index, license] of licenses.entries()) {
    const data = licenseBytes(license);
    let response = await host.request({ op: KeyOp.LoadLicense, data }, signal);
    if (LOCKED.has(response.status)) {
      response = await host.request(
        { op: KeyOp.LoadLicense, data, slot: index % LICENSE_SLOTS },
        signal,
      );
    }
    if (response.status !== DeviceErrorCode.OK) {
      throw new WorkflowError(WorkflowErrorCode.LicenseRefused);
    }
    await serverCall(host, () => host.licenseApplied(host.serialNo, license.id), signal);
  }
  return licenses.length;
}

/** The blob the key stores; a licence without one (or an id) is the server's mistake. */
function licenseBytes(license: HwVaultLicenseDto): Uint8Array {
  const data = Buffer.from(license.data, 'base64');
  if (license.id === '' || data.length === 0 || data.length > LICENSE_MAX_BYTES) {
    throw new WorkflowError(WorkflowErrorCode.LicenseInvalid);
  }
  return new Uint8Array(data);
}
