// The AppHub methods a workstation calls (hes-contract.md §4.4) that answer from the database,
// in HES's order of checks: registration, audit events, vault lookups, property reports (and
// the AppHub disconnect). The calls that run on the key are in remote-methods.ts.
import {
  HwVaultConnectionState,
  type HesResponse,
  type HwVaultInfoFromHesDto,
  type HwVaultShortInfoFromHesDto,
} from '../../../shared/hes/dto';
import type { VaultRecord } from '../store/records';
import { saveEventAndSession } from './audit';
import { clientVault, gate, isList, isNonEmptyString, type DomainContext } from './domain-context';
import { envelope, okData, okPlain } from './envelope';
import { proximitySettings } from './proximity';
import { argumentNull, dbUpdateFailed, nullReference } from './hes-exception-text';
import {
  hasFirmwareVersion,
  readVaultDto,
  type ClientVaultDto,
  type ClientWorkstationInfo,
} from './vault-dto-reading';
import { shortInfo, vaultInfo } from './vault-info';

export class AppHubMethods {
  constructor(private readonly ctx: DomainContext) {}

  /** #1: upsert, push proximity settings and RFID state, reset a stale alarm, then the gate. */
  registerWorkstationInfo(
    workstationId: string | undefined,
    dto: ClientWorkstationInfo | null,
  ): Promise<HesResponse> {
    return envelope(() => {
      const { store, notifier } = this.ctx;
      // A null DTO, or a null id (the key of HES's connection dictionary), fails first.
      if (dto === null) throw argumentNull('workstationInfoDto');
      if (dto.id === null) throw argumentNull('key');
      const d = dto as unknown as Record<string, unknown>;
      // A string the client left out is stored as null, as HES stores it.
      const text = (k: string): string | null => {
        const value = d[k];
        return typeof value === 'string' ? value : null;
      };
      const ws = store.workstations.upsert({
        id: dto.id,
        name: text('machineName'),
        domain: text('domain'),
        clientVersion: text('appVersion'),
        os: text('osName'),
        ip: text('ip'),
        lastSeen: this.ctx.now().toISOString(),
      });
      notifier.send(ws.id, 'UpdateProximitySettings', proximitySettings(store, ws.id));
      notifier.send(ws.id, 'UpdateRFIDIndicatorState', ws.rfid);
      if (d['isAlarmTurnOn'] === true && !store.settings.alarm()) {
        notifier.send(ws.id, 'SetAlarmState', false);
      }
      gate(store, workstationId);
      return okPlain();
    });
  }

  /** #2: per event, storage then sessions, each failing alone (HES only logs); then Ok. */
  saveClientEvents(
    workstationId: string | undefined,
    events: readonly unknown[] | null,
  ): Promise<HesResponse> {
    return envelope(() => {
      const { store } = this.ctx;
      if (!isList(events)) throw argumentNull('workstationEventsDto');
      gate(store, workstationId);
      for (const event of events) saveEventAndSession(store, event, this.ctx.now);
      return okPlain();
    });
  }

  getHwVaultInfoBySerialNo(
    wsId: string | undefined,
    serialNo: string | null,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    // null matches no vault: the column is NOT NULL.
    return this.lookup(wsId, () =>
      serialNo === null ? undefined : this.ctx.store.vaults.get(serialNo),
    );
  }

  getHwVaultInfoByMac(
    wsId: string | undefined,
    mac: string | null,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    // null matches no vault: the column is NOT NULL.
    return this.lookup(wsId, () => (mac === null ? undefined : this.ctx.store.vaults.byMac(mac)));
  }

  getHwVaultInfoByRfid(
    wsId: string | undefined,
    rfid: string | null,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    // null matches no vault: the column is NOT NULL.
    return this.lookup(wsId, () =>
      rfid === null ? undefined : this.ctx.store.vaults.byRfid(rfid),
    );
  }

  /**
   * #6: stores battery, firmware, storage timestamp; tracks where the vault is connected. A
   * null firmware version fails HES's write (Firmware is NOT NULL): nothing is stored and the
   * connection state is not acted on. States outside 0–3 are ignored.
   */
  updateHwVaultProperties(
    wsId: string | undefined,
    dto: ClientVaultDto | null,
    returnInfo: boolean,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return envelope(() => {
      const { store, sessions } = this.ctx;
      const ws = gate(store, wsId);
      const d = readVaultDto(dto);
      const vault = clientVault(store, d.vaultSerialNo);
      if (!hasFirmwareVersion(dto)) throw dbUpdateFailed();
      const time = this.ctx.now().toISOString();
      store.vaults.update(vault.id, {
        timestamp: d.storageTimestamp,
        battery: d.battery,
        firmware: d.firmwareVersion,
        lastSynced: time,
      });
      if (d.connectionState === HwVaultConnectionState.Initializing) {
        sessions.announce(vault.id, ws);
      } else if (d.connectionState === HwVaultConnectionState.Offline) {
        sessions.forget(vault.id, ws);
        if (vault.employeeId !== null) store.employees.setLastSeen(vault.employeeId, time);
      }
      if (returnInfo !== true)
        return okData<HwVaultInfoFromHesDto | null>(null) as HesResponse<HwVaultInfoFromHesDto>;
      return okData(vaultInfo(store, clientVault(store, vault.id), d));
    });
  }

  /** AppHub disconnect: remote sessions dropped, connections forgotten, open sessions closed. */
  workstationDisconnected(wsId: string): void {
    if (!isNonEmptyString(wsId)) return;
    const { store } = this.ctx;
    this.ctx.sessions.workstationGone(wsId);
    if (store.workstations.get(wsId)) {
      store.sessions.closeAllOpen(wsId, this.ctx.now().toISOString());
    }
  }

  private lookup(
    wsId: string | undefined,
    find: () => VaultRecord | undefined,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return envelope(() => {
      gate(this.ctx.store, wsId);
      const vault = find();
      // Quirk kept: HES dereferences the missing vault (NullReferenceException → 1001, no 607).
      if (!vault) throw nullReference();
      return okData(shortInfo(this.ctx.store, vault));
    });
  }
}
