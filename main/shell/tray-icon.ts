// The tray icons, drawn in code: a filled disc whose colour tells the level, as a
// PNG (so there are no image files to package and keep in sync with the levels).
// Node only (node:zlib); no electron import.
import { crc32, deflateSync } from 'node:zlib';
import type { TrayIconName } from './tray-state';

type Rgb = readonly [number, number, number];

const COLOURS: Readonly<Record<TrayIconName, Rgb>> = {
  'tray-problem': [0xd3, 0x2f, 0x2f],
  'tray-attention': [0xf5, 0x9e, 0x0b],
  'tray-busy': [0x25, 0x63, 0xeb],
  'tray-offline': [0x6b, 0x72, 0x80],
  'tray-ok': [0x16, 0xa3, 0x4a],
  'tray-idle': [0x9c, 0xa3, 0xaf],
};

export const TRAY_ICON_COLOURS = COLOURS;

/** Pixels per side; shown at scale factor 2 (16 logical pixels). */
export const TRAY_ICON_SIZE = 32;

/** A TRAY_ICON_SIZE² RGBA PNG: the icon's colour inside a disc, transparent outside. */
export function trayIconPng(icon: TrayIconName, size: number = TRAY_ICON_SIZE): Uint8Array {
  const [r, g, b] = COLOURS[icon];
  const centre = (size - 1) / 2;
  const radius = size / 2 - 1;
  const rows = new Uint8Array(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1); // each row starts with filter type 0 (none)
    for (let x = 0; x < size; x++) {
      // Soft edge: alpha falls from 1 to 0 over the last pixel of the radius.
      const distance = Math.hypot(x - centre, y - centre);
      const alpha = Math.round(255 * Math.min(1, Math.max(0, radius + 0.5 - distance)));
      rows.set([r, g, b, alpha], row + 1 + x * 4);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, size);
  view.setUint32(4, size);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter set, no interlace
  return concat([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const typeAndData = concat([new TextEncoder().encode(type), data]);
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeAndData, 4);
  view.setUint32(8 + data.length, crc32(typeAndData));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
