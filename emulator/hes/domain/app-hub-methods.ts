// The AppHub methods a workstation calls (hes-contract.md §4.4) that answer from the database,
// in HES's order of checks: registration, audit events, vault lookups, property reports (and
// the AppHub disconnect). The calls that run on the key are in remote-methods.ts.
import {
  HwVaultConnectionState,
  type HesResponse,
  type HwVaultInfoFromClientDto,
  type HwVaultInfoFromHesDto,
  type HwVaultShortInfoFromHesDto,
  type WorkstationInfoDto,
} from '../../../shared/hes/dto';
import type { VaultRecord } from '../store/records';
import { saveEvent } from './audit';
import { clientVault, gate, isList, isNonEmptyString, type DomainContext } from './domain-context';
import { envelope, okData, okPlain } from './envelope';
import { readVaultDto } from './vault-dto-reading';
import { shortInfo, vaultInfo } from './vault-info';

export class AppHubMethods {
  constructor(private readonly ctx: DomainContext) {}

  /** #1: upsert, push proximity (none) and RFID state, reset a stale alarm, then the gate. */
  registerWorkstationInfo(
    workstationId: string | undefined,
    dto: WorkstationInfoDto,
  ): Promise<HesResponse> {
    return envelope(() => {
      const { store, notifier } = this.ctx;
      const d = dto as unknown as Record<string, unknown> | null;
      if (typeof d !== 'object' || d === null || !isNonEmptyString(d['id'])) {
        throw new TypeError('WorkstationInfoDto is null or has no id');
      }
      const text = (k: string): string => {
        const value = d[k];
        return typeof value === 'string' ? value : '';
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
      notifier.send(ws.id, 'UpdateProximitySettings', []);
      notifier.send(ws.id, 'UpdateRFIDIndicatorState', ws.rfid);
      if (d['isAlarmTurnOn'] === true && !store.settings.alarm()) {
        notifier.send(ws.id, 'SetAlarmState', false);
      }
      gate(store, workstationId);
      return okPlain();
    });
  }

  /** #2: each event stored once; per-event failures are skipped (HES only logs them). */
  saveClientEvents(
    workstationId: string | undefined,
    events: readonly unknown[],
  ): Promise<HesResponse> {
    return envelope(() => {
      const { store } = this.ctx;
      if (!isList(events))
        throw new TypeError('Value cannot be null. (Parameter workstationEventsDto)');
      gate(store, workstationId);
      const now = this.ctx.now().toISOString();
      for (const event of events) {
        try {
          saveEvent(store, event, now);
        } catch {
          // HES logs a per-event error and answers Ok.
        }
      }
      return okPlain();
    });
  }

  getHwVaultInfoBySerialNo(
    wsId: string | undefined,
    serialNo: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.lookup(wsId, () => this.ctx.store.vaults.get(serialNo));
  }

  getHwVaultInfoByMac(
    wsId: string | undefined,
    mac: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.lookup(wsId, () => this.ctx.store.vaults.byMac(mac));
  }

  getHwVaultInfoByRfid(
    wsId: string | undefined,
    rfid: string,
  ): Promise<HesResponse<HwVaultShortInfoFromHesDto>> {
    return this.lookup(wsId, () => this.ctx.store.vaults.byRfid(rfid));
  }

  /** #6: stores battery, firmware, storage timestamp; tracks where the vault is connected. */
  updateHwVaultProperties(
    wsId: string | undefined,
    dto: HwVaultInfoFromClientDto,
    returnInfo: boolean,
  ): Promise<HesResponse<HwVaultInfoFromHesDto>> {
    return envelope(() => {
      const { store, sessions } = this.ctx;
      const ws = gate(store, wsId);
      const d = readVaultDto(dto);
      const vault = clientVault(store, d.vaultSerialNo);
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
      if (!vault) throw new Error('Object reference not set to an instance of an object.');
      return okData(shortInfo(this.ctx.store, vault));
    });
  }
}
