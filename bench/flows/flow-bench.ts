// Items 2–4 of the benchmark: the flows on each link profile (Hideez Key 3s on
// theirs, open-protocol keys on the others), many times. Each
// run takes a fresh Reserved key through prompt → wrong code → right code (Active,
// then Online), switches it off, and switches on the key of the previous run, now
// Active, until it is Online. Alternating keys gives each key time to be fully gone
// (a lost BLE link, the device manager's farewell) before it comes back, without idle
// waits. Then the PIN flows (issue 17): one key whose profile asks for a PIN on every
// connection is activated and given a PIN (not measured), then switched on as many
// times: PIN prompt → wrong PIN → right PIN → Online.
import { nowMs, sleep } from '../clock';
import { CompanionProcess } from '../companion/companion-process';
import {
  ADVERTISING_INTERVAL_MS,
  PROFILES,
  type LinkProfile,
  type ProfileId,
} from '../link-profiles';
import { KeyWorld, type BenchKey } from '../world/key-world';
import { calibrateBridge, type BridgeCost } from './bridge-calibration';
import { quiet, runFlow, type FlowContext } from './flow-runner';
import type { FlowSample } from './flow-types';

/** A key switched off comes back no sooner than this (its link and its card are gone). */
const OFF_BEFORE_ON_MS = 1_000;
/**
 * Before a BLE key is switched on: a random wait within one advertising interval. The
 * virtual adapter hears advertisements on the ticks of one timer; a switch-on at a fixed
 * delay after the last flow would land at the same phase of it every run and measure one
 * fixed wait for the first advertisement instead of its spread (the model's mean is half
 * an interval, link-costs.ts).
 */
async function unaligned(profile: LinkProfile): Promise<void> {
  if (profile.link === 'ble') await sleep(Math.random() * ADVERTISING_INTERVAL_MS);
}

/** The PIN flows' key's PIN, and a wrong one. */
const PIN = '4826';
const WRONG_PIN = '9999';

export interface FlowBenchOptions {
  /** Measured runs per profile (one warm-up run more is made and dropped). */
  readonly runs: Readonly<Record<ProfileId, number>>;
  /** The profiles to run, in PROFILES order. */
  readonly profiles: readonly ProfileId[];
  readonly calibrationMessages: number;
  readonly log: (line: string) => void;
}

export interface FlowBenchResult {
  readonly samples: FlowSample[];
  readonly bridge: BridgeCost;
  readonly serverRttMs: number;
}

const wrongCode = (code: string): string => (code === '000000' ? '111111' : '000000');
const fmt = (ms: number | undefined): string => (ms === undefined ? '–' : ms.toFixed(0));

async function activeAppears(
  ctx: FlowContext,
  profile: LinkProfile,
  key: BenchKey,
  offAt: number,
): Promise<FlowSample> {
  const wait = OFF_BEFORE_ON_MS - (nowMs() - offAt);
  if (wait > 0) await sleep(wait);
  await unaligned(profile);
  const sample = await runFlow(ctx, profile, {
    flow: 'appearsOnline',
    serialNo: key.serialNo,
    trigger: () => ctx.world.switchOn(key),
    end: (k) => k.step === 'online',
  });
  ctx.world.switchOff(key);
  await quiet(ctx);
  // Done with: a workstation's companion knows its user's key or two, not every key a
  // bench run goes through (each one would be in every later snapshot).
  await ctx.companion.forgetKey(key.serialNo);
  return sample;
}

/** Reserved → prompt → wrong code → right code; returns the three samples. */
async function firstActivation(
  ctx: FlowContext,
  profile: LinkProfile,
  key: BenchKey,
): Promise<FlowSample[]> {
  const { world, companion } = ctx;
  const code = world.reserve(key.serialNo);
  const serialNo = key.serialNo;
  await unaligned(profile);
  const prompt = await runFlow(ctx, profile, {
    flow: 'reservedPrompt',
    serialNo,
    trigger: () => world.switchOn(key),
    end: (k) => k.promptKind === 'activationCode',
  });
  const wrong = await runFlow(ctx, profile, {
    flow: 'wrongCode',
    serialNo,
    trigger: () => companion.submitCode(serialNo, wrongCode(code)),
    end: (k) => k.promptKind === 'activationCode' && k.lastResult === 'wrong',
  });
  const active = await runFlow(ctx, profile, {
    flow: 'codeActive',
    serialNo,
    trigger: () => companion.submitCode(serialNo, code),
    end: (k) => k.viewKind === 'active',
    then: (k) => k.step === 'online',
  });
  return [prompt, wrong, active];
}

/** The PIN flows' key: activated with a PIN profile and given its PIN (not measured). */
async function pinKey(ctx: FlowContext, profile: LinkProfile): Promise<BenchKey> {
  const { world, companion } = ctx;
  const [key] = await world.provision(1, profile);
  if (!key) throw new Error('no key provisioned');
  const { serialNo } = key;
  const code = world.reserve(serialNo, { pin: true });
  const from = nowMs();
  await world.switchOn(key);
  await companion.until(serialNo, (k) => k.promptKind === 'activationCode', from);
  await companion.submitCode(serialNo, code);
  await companion.until(serialNo, (k) => k.promptKind === 'newPin', from);
  await companion.submitNewPin(serialNo, PIN);
  const next = await companion.until(
    serialNo,
    (k) => k.step === 'online' || k.promptKind === 'pin',
    from,
  );
  if (next.key.step !== 'online') {
    await companion.submitPin(serialNo, PIN);
    await companion.until(serialNo, (k) => k.step === 'online', from);
  }
  world.switchOff(key);
  await quiet(ctx);
  return key;
}

/** Switched on → PIN prompt → wrong PIN → right PIN → Online; the three samples. */
async function pinFlows(
  ctx: FlowContext,
  profile: LinkProfile,
  key: BenchKey,
  offAt: number,
): Promise<FlowSample[]> {
  const { world, companion } = ctx;
  const { serialNo } = key;
  const wait = OFF_BEFORE_ON_MS - (nowMs() - offAt);
  if (wait > 0) await sleep(wait);
  await unaligned(profile);
  const prompt = await runFlow(ctx, profile, {
    flow: 'pinPrompt',
    serialNo,
    trigger: () => world.switchOn(key),
    end: (k) => k.promptKind === 'pin',
  });
  const wrong = await runFlow(ctx, profile, {
    flow: 'wrongPin',
    serialNo,
    trigger: () => companion.submitPin(serialNo, WRONG_PIN),
    end: (k) => k.promptKind === 'pin' && k.lastResult === 'wrong',
  });
  const online = await runFlow(ctx, profile, {
    flow: 'pinOnline',
    serialNo,
    trigger: () => companion.submitPin(serialNo, PIN),
    end: (k) => k.step === 'online',
  });
  world.switchOff(key);
  await quiet(ctx);
  return [prompt, wrong, online];
}

export async function benchFlows(options: FlowBenchOptions): Promise<FlowBenchResult> {
  const profiles = PROFILES.filter((p) => options.profiles.includes(p.id));
  const world = await KeyWorld.start();
  const companion = await CompanionProcess.start(
    {
      mode: 'app',
      serverUrl: world.serverUrl,
      links: ['usb', 'ble'],
      key3: profiles.some((p) => p.family === 'key3'),
    },
    world.links,
  );
  const samples: FlowSample[] = [];
  try {
    await companion.untilServer('notApproved');
    world.approve(await companion.workstationId());
    await companion.untilServer('connected');
    const bridge = await calibrateBridge(companion, options.calibrationMessages);
    const ctx: FlowContext = { world, companion };
    for (const profile of profiles) {
      world.setProfile(profile);
      const runs = options.runs[profile.id];
      const keys = await world.provision(runs + 1, profile);
      let previous: { key: BenchKey; offAt: number } | undefined;
      for (const [i, key] of keys.entries()) {
        const activation = await firstActivation(ctx, profile, key);
        world.switchOff(key);
        const offAt = nowMs();
        await quiet(ctx);
        const appears = previous
          ? await activeAppears(ctx, profile, previous.key, previous.offAt)
          : undefined;
        // Run 0 warms the code paths up, and so does the first Active key's return.
        if (i > 0) samples.push(...activation);
        if (appears && i > 1) samples.push(appears);
        previous = { key, offAt };
        const [prompt, wrong, active] = activation;
        options.log(
          `  flows ${profile.id} run ${i}/${runs}${i === 0 ? ' (warm-up)' : ''}: ` +
            `prompt ${fmt(prompt?.latencyMs)} ms, wrong code ${fmt(wrong?.latencyMs)} ms, ` +
            `Active ${fmt(active?.latencyMs)} ms, appears→Online ${fmt(appears?.latencyMs)} ms`,
        );
      }
      if (previous) {
        samples.push(await activeAppears(ctx, profile, previous.key, previous.offAt));
      }
      const key = await pinKey(ctx, profile);
      let offAt = nowMs();
      for (let i = 0; i <= runs; i++) {
        const pin = await pinFlows(ctx, profile, key, offAt);
        offAt = nowMs();
        if (i > 0) samples.push(...pin);
        const [prompt, wrong, online] = pin;
        options.log(
          `  flows ${profile.id} PIN run ${i}/${runs}${i === 0 ? ' (warm-up)' : ''}: ` +
            `prompt ${fmt(prompt?.latencyMs)} ms, wrong PIN ${fmt(wrong?.latencyMs)} ms, ` +
            `PIN → Online ${fmt(online?.latencyMs)} ms`,
        );
      }
      await companion.forgetKey(key.serialNo);
    }
    return { samples, bridge, serverRttMs: world.proxy.oneWayMs * 2 };
  } finally {
    await companion.stop();
    await world.close();
  }
}
