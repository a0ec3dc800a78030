// Item 4 (codecs): the wire codecs' throughput, next to the byte rate of the link each
// one feeds. The share is the fraction of the link's own time the codec's CPU would
// take if it framed every byte the link can carry: codec time per byte ÷ link time per byte.
import { codecCases, type CodecCase } from '../codecs/codec-cases';
import { nowMs } from '../clock';
import { profile } from '../link-profiles';
import { fixed, int, percent, rate } from '../report/format';
import type { Section } from '../section';

interface CodecFigure {
  readonly name: string;
  readonly side: string;
  readonly bytes: number;
  readonly opsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly link: string;
  readonly linkBytesPerSecond: number;
  readonly shareOfLink: number;
}

/** Runs the case in growing batches for about `ms`, after a short warm-up. */
function measure(c: CodecCase, ms: number): number {
  const warm = nowMs() + ms / 5;
  while (nowMs() < warm) c.run();
  let ops = 0;
  let batch = 64;
  const started = nowMs();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) c.run();
    ops += batch;
    elapsed = nowMs() - started;
    if (elapsed < ms / 10) batch *= 2;
  }
  return (ops * 1000) / elapsed;
}

export const codecsSection: Section = ({ config, log }) => {
  const figures: CodecFigure[] = codecCases().map((c) => {
    const opsPerSecond = measure(c, config.codecMs);
    const link = profile(c.link);
    const bytesPerSecond = opsPerSecond * c.bytes;
    return {
      name: c.name,
      side: c.side,
      bytes: c.bytes,
      opsPerSecond,
      bytesPerSecond,
      link: link.label,
      linkBytesPerSecond: link.payloadBytesPerSecond,
      shareOfLink: link.payloadBytesPerSecond / bytesPerSecond,
    };
  });
  log(`  codecs: ${figures.length} cases`);
  return Promise.resolve({
    tables: [
      {
        title: '4b. Codec throughput vs the link it feeds (one core)',
        columns: [
          { header: 'Codec' },
          { header: 'side', align: 'left' },
          { header: 'msg B' },
          { header: 'ops/s' },
          { header: 'throughput' },
          { header: 'link', align: 'left' },
          { header: 'link payload rate' },
          { header: 'share of link time' },
        ],
        rows: figures.map((f) => [
          f.name,
          f.side,
          int(f.bytes),
          int(f.opsPerSecond),
          rate(f.bytesPerSecond),
          f.link,
          rate(f.linkBytesPerSecond),
          percent(f.shareOfLink, f.shareOfLink < 0.001 ? 3 : 2),
        ]),
        notes: [
          'side: who runs the codec in a real exchange (key: the virtual key, shown for completeness).',
          `CBOR is set against USB, the fastest link (${fixed(profile('usb-fs').payloadBytesPerSecond / 1000, 0)} kB/s of payload), its worst case.`,
        ],
      },
    ],
    data: { figures },
  });
};
