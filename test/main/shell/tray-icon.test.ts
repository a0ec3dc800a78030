// The tray icons are real PNGs: a valid signature and chunks (CRC checked), the
// declared size, the level's colour in the middle and transparency in the corners.
import { crc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_COLOURS, TRAY_ICON_SIZE, trayIconPng } from '../../../main/shell/tray-icon';
import type { TrayIconName } from '../../../main/shell/tray-state';

interface Chunk {
  type: string;
  data: Uint8Array;
}

function readPng(png: Uint8Array): Chunk[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = view.getUint32(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    expect(view.getUint32(offset + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({
      type: new TextDecoder().decode(typeAndData.subarray(0, 4)),
      data: typeAndData.subarray(4),
    });
    offset += 12 + length;
  }
  return chunks;
}

describe('tray icons', () => {
  it.each(Object.keys(TRAY_ICON_COLOURS) as TrayIconName[])('%s is a coloured disc', (icon) => {
    const chunks = readPng(trayIconPng(icon));
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const header = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset);
    expect([header.getUint32(0), header.getUint32(4)]).toEqual([TRAY_ICON_SIZE, TRAY_ICON_SIZE]);
    expect([...chunks[0]!.data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);

    const rows = inflateSync(chunks[1]!.data);
    const stride = TRAY_ICON_SIZE * 4 + 1;
    expect(rows.length).toBe(stride * TRAY_ICON_SIZE);
    const pixel = (x: number, y: number) => [
      ...rows.subarray(y * stride + 1 + x * 4, y * stride + 5 + x * 4),
    ];
    const middle = TRAY_ICON_SIZE / 2;
    expect(pixel(middle, middle)).toEqual([...TRAY_ICON_COLOURS[icon], 255]);
    expect(pixel(0, 0)[3]).toBe(0);
    expect(pixel(TRAY_ICON_SIZE - 1, TRAY_ICON_SIZE - 1)[3]).toBe(0);
  });

  it('the levels are told apart by colour', () => {
    const colours = Object.values(TRAY_ICON_COLOURS).map((rgb) => rgb.join(','));
    expect(new Set(colours).size).toBe(colours.length);
  });
});
