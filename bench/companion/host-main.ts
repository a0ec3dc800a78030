// The companion host: on 'start' it composes the companion exactly as production does
// (startCompanionApp) over discoveries whose key links are bridged to the orchestrator
// (Hideez Key 3s through the app's own createBleKeyDiscovery, on their own bridged
// adapter, counted through its field trace), or, in 'audit' mode, the HES client and
// the audit queue alone. It reports each key's step as it changes, and answers the
// orchestrator's calls (usage, gc, submit a code, the exchange log, the audit bench).
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createBleKeyDiscovery } from '../../device/discovery/ble-keys';
import { createBleDiscovery } from '../../device/transport/ble/ble-discovery';
import { isNobleLike, type NobleLike } from '../../device/transport/ble/noble-like';
import { createHidDiscovery } from '../../device/transport/hid';
import type { TransportDiscovery } from '../../device/transport/transport';
import type { KeyDiscovery } from '../../device/key/key-connection';
import { openProtocolKeys } from '../../device/open-protocol/open-discovery';
import { startCompanionApp, type CompanionApp } from '../../main/app/companion-app';
import { workstationInfo } from '../../main/app/workstation-info';
import { openAuditQueue, type AuditQueue } from '../../main/audit/audit-queue';
import { auditSender } from '../../main/hes/audit-sender';
import { createHesClient, type HesClient } from '../../main/hes/hes-client';
import type { KeySnapshot } from '../../shared/ipc/snapshot';
import { WorkstationEventType } from '../../shared/hes/dto';
import { TEST_VENDOR_PUBLIC_KEY } from '../../device/key3/crypto/vendor-keys';
import { vaultStatusName } from '../../shared/vault/vault-status';
import { nowMs } from '../clock';
import { BleBridge, HidBridge } from './bridge';
import { countingDiscovery } from './counting-discovery';
import { countingTrace } from './counting-trace';
import {
  isToHost,
  type AuditFlushResult,
  type AuditRecordResult,
  type ExchangeRecord,
  type FromHost,
  type HostCall,
  type HostConfig,
  type KeyState,
  type ToHost,
} from './protocol';
import { timerCensus, traceTimeouts } from './timer-census';
import { readUsage } from './usage';

const send = (message: FromHost): void => void process.send?.(message);
const hid = new HidBridge(send);
const ble = new BleBridge(send, 'open');
const bleKey3 = new BleBridge(send, 'key3');
const exchanges: ExchangeRecord[] = [];
let app: CompanionApp | undefined;
let hes: HesClient | undefined;
const queues = new Map<string, AuditQueue>();
let workstationId = '';

function keyState(k: KeySnapshot): KeyState {
  const prompt = k.prompt;
  return {
    serialNo: k.serialNo,
    connection: k.connection,
    step: k.step,
    viewKind: k.view.kind,
    ...(prompt ? { promptKind: prompt.kind } : {}),
    ...(prompt && 'attemptsRemain' in prompt ? { attemptsRemain: prompt.attemptsRemain } : {}),
    ...(prompt && 'lastResult' in prompt && prompt.lastResult !== undefined
      ? { lastResult: prompt.lastResult }
      : {}),
    ...(k.serverStatus !== undefined ? { serverStatus: vaultStatusName(k.serverStatus) } : {}),
    ...(k.error ? { errorCode: k.error.code } : {}),
  };
}

/** A real Noble over one of the bridged adapters. */
function nobleOver(bridge: BleBridge): NobleLike {
  const require = createRequire(import.meta.url);
  const build = require('@abandonware/noble/with-bindings') as (bindings: unknown) => unknown;
  const noble = build(bridge);
  if (!isNobleLike(noble)) throw new Error('noble/with-bindings returned no Noble');
  return noble;
}

function bleDiscovery(): TransportDiscovery {
  return createBleDiscovery({ noble: nobleOver(ble) });
}

/**
 * The app's BLE discovery, as defaultDiscoveries() makes it, but accepting the test
 * vendor key that certified the virtual Key 3s (as the demo does), and with a trace
 * that counts each key exchange.
 */
function key3Discovery(): KeyDiscovery {
  return createBleKeyDiscovery({
    noble: nobleOver(bleKey3),
    key3: { vendorPublicKey: TEST_VENDOR_PUBLIC_KEY, trace: countingTrace(exchanges) },
  });
}

async function startApp(config: Extract<HostConfig, { mode: 'app' }>): Promise<void> {
  const discoveries: KeyDiscovery[] = [];
  if (config.links.includes('usb')) {
    discoveries.push(
      openProtocolKeys(
        countingDiscovery(
          createHidDiscovery({ hid: hid.nodeHid, usb: hid.usb, hidNodes: hid.hidNodes }),
          exchanges,
        ),
      ),
    );
  }
  if (config.links.includes('ble')) {
    discoveries.push(openProtocolKeys(countingDiscovery(bleDiscovery(), exchanges)));
    if (config.key3) discoveries.push(key3Discovery());
  }
  app = await startCompanionApp({
    dataDir: config.dataDir,
    serverUrl: config.serverUrl,
    discoveries,
    appVersion: '0.0.0-bench',
  });
  workstationId = app.workstationId;
  const last = new Map<string, string>();
  app.router.onEvent((event) => {
    if (event.name !== 'snapshot') return;
    const at = nowMs();
    for (const k of event.payload.keys) {
      const state = keyState(k);
      const text = JSON.stringify(state);
      if (last.get(k.serialNo) === text) continue;
      last.set(k.serialNo, text);
      send({ t: 'key', at, key: state });
    }
  });
  app.hes.onState((s) => send({ t: 'server', at: nowMs(), state: s.state }));
  send({ t: 'server', at: nowMs(), state: app.hes.state.state });
}

function startAudit(config: Extract<HostConfig, { mode: 'audit' }>): void {
  workstationId = randomUUID();
  hes = createHesClient({
    serverUrl: config.serverUrl,
    workstationId,
    workstationInfo: () => workstationInfo(workstationId, '0.0.0-bench'),
    relay: () => Promise.reject(new Error('no keys in the audit bench')),
  });
  hes.onState((s) => send({ t: 'server', at: nowMs(), state: s.state }));
  hes.start();
}

async function auditQueue(
  dataDir: string,
  durability: 'process' | 'power-loss',
): Promise<AuditQueue> {
  const open = queues.get(durability);
  if (open) return open;
  if (!hes) throw new Error('not in audit mode');
  const queue = await openAuditQueue({
    file: join(dataDir, `audit-${durability}.sqlite`),
    workstationId,
    send: auditSender(hes),
    durability,
    // The bench flushes when it decides to: no timer flush in the middle of recording.
    flushIntervalMs: 3_600_000,
  });
  queues.set(durability, queue);
  return queue;
}

function recordEvents(queue: AuditQueue, count: number): AuditRecordResult {
  const started = nowMs();
  for (let i = 0; i < count; i++) {
    queue.record({
      eventId:
        i % 2 === 0 ? WorkstationEventType.DeviceConnect : WorkstationEventType.DeviceDisconnect,
      deviceId: `ST1000000000${String(i % 100).padStart(2, '0')}`,
      note: `bench event ${i}`,
      userSession: 'bench',
    });
  }
  return { ms: nowMs() - started, pending: queue.pending() };
}

const isSubmit = (call: HostCall): boolean =>
  call.c === 'submitCode' || call.c === 'submitPin' || call.c === 'submitNewPin';

let config: HostConfig | undefined;

async function answer(call: HostCall): Promise<unknown> {
  switch (call.c) {
    case 'usage':
      return readUsage();
    case 'gc':
      globalThis.gc?.();
      globalThis.gc?.();
      return readUsage();
    case 'resources': {
      const counts: Record<string, number> = {};
      for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
      return counts;
    }
    case 'timers':
      traceTimeouts(call.trace);
      return timerCensus();
    case 'exchanges':
      return exchanges.splice(0);
    case 'workstationId':
      return workstationId;
    case 'submitCode': {
      if (!app) throw new Error('not in app mode');
      const result = await app.router.handle('submitActivationCode', [call.serialNo, call.code]);
      return result.ok;
    }
    case 'submitPin': {
      if (!app) throw new Error('not in app mode');
      const result = await app.router.handle('submitPin', [call.serialNo, call.pin]);
      return result.ok;
    }
    case 'submitNewPin': {
      if (!app) throw new Error('not in app mode');
      const result = await app.router.handle('submitNewPin', [call.serialNo, call.pin, call.pin]);
      return result.ok;
    }
    case 'forgetKey': {
      if (!app) throw new Error('not in app mode');
      const result = await app.router.handle('forgetKey', [call.serialNo]);
      if (!result.ok) throw new Error(`forgetKey: ${result.error.code}`);
      return null;
    }
    case 'emit':
      for (let i = 0; i < call.count; i++) send({ t: 'noise', report: new Uint8Array(64) });
      return readUsage();
    case 'auditRecord': {
      if (!config) throw new Error('not started');
      return recordEvents(await auditQueue(config.dataDir, call.durability), call.count);
    }
    case 'auditFlush': {
      if (!config) throw new Error('not started');
      const queue = await auditQueue(config.dataDir, 'process');
      const started = nowMs();
      const result = await queue.flush();
      const flushed: AuditFlushResult = {
        ms: nowMs() - started,
        sent: result.sent,
        batches: result.batches,
        remaining: result.remaining,
        failed: result.error !== undefined,
      };
      return flushed;
    }
    case 'stop': {
      await app?.stop();
      for (const queue of queues.values()) await queue.close();
      await hes?.stop();
      setImmediate(() => process.disconnect?.());
      return null;
    }
  }
}

async function receive(message: ToHost): Promise<void> {
  if (hid.receive(message) || ble.receive(message) || bleKey3.receive(message)) return;
  if (message.t === 'start') {
    config = message.config;
    if (config.mode === 'app') await startApp(config);
    else startAudit(config);
    send({ t: 'ready', usage: readUsage() });
    return;
  }
  if (message.t === 'call') {
    // A submit's flow is timed from here: the crossing from the orchestrator stands in
    // for the renderer's IPC (not measured here).
    const receivedAt = nowMs();
    try {
      const value = await answer(message.call);
      send({
        t: 'answer',
        id: message.id,
        value: isSubmit(message.call) ? { value, receivedAt } : value,
      });
    } catch (error) {
      send({
        t: 'failed',
        id: message.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  // 'noise' (the bridge calibration) needs no handling: receiving it is the cost measured.
}

process.on('message', (message: unknown) => {
  if (!isToHost(message)) return;
  receive(message).catch((error: unknown) => {
    console.error('companion host:', error);
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
