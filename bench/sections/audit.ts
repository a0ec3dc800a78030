// Item 7: the audit queue. 100,000 events recorded into the companion's durable queue
// ('process' durability: each event committed, surviving a killed process), then
// flushed to the stand-in through the 40 ms proxy: the time of each, the batches, and
// the largest SaveClientEvents record on the wire (it must stay under HES's 32 KB
// message limit). A smaller sample is recorded with the default 'power-loss'
// durability (synchronous=FULL, an fsync per event) for its rate.
import { CompanionProcess } from '../companion/companion-process';
import type { AuditFlushResult, AuditRecordResult } from '../companion/protocol';
import { bytes, fixed, int, ms } from '../report/format';
import type { Section } from '../section';
import { KeyWorld } from '../world/key-world';
import { serverTimes } from '../flows/link-costs';
import { median } from '../report/stats';
import { MAX_HUB_MESSAGE_BYTES } from '../../shared/hes/dto';

const SAVE = 'SaveClientEvents';

export const auditSection: Section = async ({ config, log }) => {
  const world = await KeyWorld.start();
  const companion = await CompanionProcess.start({ mode: 'audit', serverUrl: world.serverUrl });
  try {
    await companion.untilServer('notApproved');
    world.approve(await companion.workstationId());
    await companion.untilServer('connected');
    const durable = (await companion.call({
      c: 'auditRecord',
      count: config.auditDurableEvents,
      durability: 'power-loss',
    })) as AuditRecordResult;
    log(`  audit: ${config.auditDurableEvents} events (power-loss) in ${durable.ms.toFixed(0)} ms`);
    const recorded = (await companion.call({
      c: 'auditRecord',
      count: config.auditEvents,
      durability: 'process',
    })) as AuditRecordResult;
    log(
      `  audit: ${config.auditEvents} events (process) in ${recorded.ms.toFixed(0)} ms; flushing …`,
    );
    const from = world.proxy.events.length;
    const flushed = (await companion.call({ c: 'auditFlush' })) as AuditFlushResult;
    const records = world.proxy.events
      .slice(from)
      .filter((e) => e.kind === 'invocation' && e.dir === 'up' && e.target === SAVE);
    const largest = Math.max(0, ...records.map((r) => r.bytes));
    const serverMs = median(serverTimes(world.proxy.events.slice(from), world.proxy.oneWayMs));
    const data = {
      events: config.auditEvents,
      durable,
      recorded,
      flushed,
      wireBatches: records.length,
      largestRecordBytes: largest,
      limitBytes: MAX_HUB_MESSAGE_BYTES,
      meanEventsPerBatch: flushed.sent / Math.max(1, flushed.batches),
      serverMsPerBatch: serverMs,
    };
    log(
      `  audit: flushed ${flushed.sent} in ${flushed.ms.toFixed(0)} ms, ${flushed.batches} batches`,
    );
    return {
      tables: [
        {
          title: `7. Audit queue: ${int(config.auditEvents)} events queued and flushed (server RTT 40 ms)`,
          columns: [
            { header: 'Figure' },
            { header: 'value' },
            { header: 'limit / note', align: 'left' },
          ],
          rows: [
            [
              'record (process durability)',
              `${ms(recorded.ms)} ms`,
              `${fixed((recorded.ms * 1000) / config.auditEvents, 1)} µs/event`,
            ],
            [
              `record ${int(config.auditDurableEvents)} (power-loss durability)`,
              `${ms(durable.ms)} ms`,
              `${fixed((durable.ms * 1000) / config.auditDurableEvents, 0)} µs/event (an fsync each)`,
            ],
            [
              'flush time',
              `${ms(flushed.ms)} ms`,
              `${fixed(flushed.ms / Math.max(1, flushed.batches), 1)} ms/batch; RTT 40 ms each`,
            ],
            [
              'stand-in time per batch (median)',
              `${ms(serverMs)} ms`,
              'storing the events (SQLite)',
            ],
            [
              'events sent',
              int(flushed.sent),
              flushed.remaining === 0 && !flushed.failed ? 'all' : `${int(flushed.remaining)} left`,
            ],
            [
              'batches (SaveClientEvents calls)',
              int(flushed.batches),
              `${int(records.length)} seen on the wire`,
            ],
            ['events per batch (mean)', fixed(data.meanEventsPerBatch, 1), ''],
            [
              'largest batch record',
              bytes(largest),
              `< ${bytes(MAX_HUB_MESSAGE_BYTES)} (HES hub limit): ${largest < MAX_HUB_MESSAGE_BYTES ? 'yes' : 'NO'}`,
            ],
          ],
        },
      ],
      data,
    };
  } finally {
    await companion.stop();
    await world.close();
  }
};
