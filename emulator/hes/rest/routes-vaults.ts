// HES's HardwareVaultsController routes: vaults (list, by id, RFID edit, SetAccessProfile) and
// access profiles (list, by id, create, edit, delete), with HES's DTOs and replies.
import type { HesStandIn, ProfileInput } from '../domain/hes-stand-in';
import { HesDto } from './hes-dto';
import { created, found, noContent, ok, param, samePathId, type Route } from './route-types';

/** Create/EditHardwareVaultProfileDto's fields, with their [Range]s. */
function profileInput(dto: HesDto): ProfileInput {
  return {
    name: dto.string('Name', true),
    buttonBonding: dto.bool('ButtonBonding'),
    buttonConnection: dto.bool('ButtonConnection'),
    buttonNewChannel: dto.bool('ButtonNewChannel'),
    pinBonding: dto.bool('PinBonding'),
    pinConnection: dto.bool('PinConnection'),
    pinNewChannel: dto.bool('PinNewChannel'),
    masterKeyConnection: dto.bool('MasterKeyConnection'),
    masterKeyNewChannel: dto.bool('MasterKeyNewChannel'),
    pinExpiration: dto.int('PinExpiration', [60, 172_800]),
    pinLength: dto.int('PinLength', [4, 8]),
    pinTryCount: dto.int('PinTryCount', [3, 10]),
  };
}

const DTO = 'HES.Core.Models.API.HardwareVault';

export function vaultRoutes(standIn: HesStandIn): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/HardwareVaults/GetHardwareVaults',
      hes: true,
      run: () => ok(standIn.vaultEntities()),
    },
    {
      method: 'GET',
      path: '/api/HardwareVaults/GetHardwareVaultById/{}',
      hes: true,
      run: (r) => found(standIn.vaultEntity(param(r, 0))),
    },
    {
      method: 'PUT',
      path: '/api/HardwareVaults/EditHardwareVaultRfid/{}',
      hes: true,
      run: (r) => {
        const dto = new HesDto(r.body, `${DTO}.EditHardwareVaultRfidDto`);
        const id = dto.string('Id', true);
        const rfid = dto.string('RFID', true);
        dto.done();
        samePathId(r, id);
        standIn.editVaultRfid(id, rfid);
        return noContent;
      },
    },
    {
      method: 'POST',
      path: '/api/HardwareVaults/SetAccessProfile',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(body, `${DTO}.ChangeHardwareVaultProfileDto`);
        const vaultId = dto.string('HardwareVaultId', true);
        const profileId = dto.string('ProfileId', true);
        dto.done();
        standIn.setAccessProfile(vaultId, profileId);
        return noContent;
      },
    },
    {
      method: 'GET',
      path: '/api/HardwareVaults/GetProfiles',
      hes: true,
      run: () => ok(standIn.profileEntities()),
    },
    {
      method: 'GET',
      path: '/api/HardwareVaults/GetProfileById/{}',
      hes: true,
      run: (r) => found(standIn.profileEntity(param(r, 0))),
    },
    {
      method: 'POST',
      path: '/api/HardwareVaults/CreateProfile',
      hes: true,
      run: ({ body }) => {
        const dto = new HesDto(body, `${DTO}.CreateHardwareVaultProfileDto`);
        const input = profileInput(dto);
        dto.done();
        const profile = standIn.createProfile(input);
        const id = encodeURIComponent(String(profile['id']));
        return created(profile, `/api/HardwareVaults/GetProfileById/${id}`);
      },
    },
    {
      method: 'PUT',
      path: '/api/HardwareVaults/EditProfile/{}',
      hes: true,
      run: (r) => {
        const dto = new HesDto(r.body, `${DTO}.EditHardwareVaultProfileDto`);
        const id = dto.string('Id', true);
        const input = profileInput(dto);
        dto.done();
        samePathId(r, id);
        standIn.editProfile(id, input);
        return noContent;
      },
    },
    {
      method: 'DELETE',
      path: '/api/HardwareVaults/DeleteProfile/{}',
      hes: true,
      run: (r) => found(standIn.deleteProfile(param(r, 0))),
    },
  ];
}
