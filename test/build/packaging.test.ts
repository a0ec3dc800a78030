// The Linux packages must let the user at the seat open the key without root:
// the udev rule has to name the key's real USB ids, sort before
// 73-seat-late.rules (where uaccess becomes an ACL), and be installed by the
// deb and rpm packages. macOS needs its Bluetooth usage string.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HIDEEZ_USB_PRODUCT_ID, HIDEEZ_USB_VENDOR_ID } from '../../device/protocol/usb-ids';

const RULE_FILE = 'build/linux/70-hideez-key.rules';
const rules = readFileSync(RULE_FILE, 'utf8');
const builder = readFileSync('electron-builder.yml', 'utf8');
const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** The lines under a top-level key of the YAML file (enough for this flat config). */
function section(name: string): string {
  const lines = builder.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${name}:`));
  if (start < 0) return '';
  const end = lines.findIndex((line, i) => i > start && /^\S/.test(line) && !line.startsWith('#'));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

describe('Linux udev rule', () => {
  const active = rules.split('\n').filter((line) => line.trim() && !line.startsWith('#'));

  it('tags both the hidraw and the usb node of our key uaccess', () => {
    expect(active).toHaveLength(2);
    expect(active.some((line) => line.includes('SUBSYSTEM=="hidraw"'))).toBe(true);
    expect(active.some((line) => line.includes('SUBSYSTEM=="usb"'))).toBe(true);
    for (const line of active) {
      expect(line).toContain(`ATTRS{idVendor}=="${hex4(HIDEEZ_USB_VENDOR_ID)}"`);
      expect(line).toContain(`ATTRS{idProduct}=="${hex4(HIDEEZ_USB_PRODUCT_ID)}"`);
      expect(line).toContain('TAG+="uaccess"');
    }
  });

  it('sorts before 73-seat-late.rules', () => {
    const name = RULE_FILE.split('/').pop() ?? '';
    expect(name < '73-seat-late.rules').toBe(true);
  });

  it.each(['deb', 'rpm'])('is installed by the %s package', (target) => {
    expect(section('linux')).toMatch(new RegExp(`target:.*\\b${target}\\b`));
    expect(section(target)).toContain(`${RULE_FILE}=/usr/lib/udev/rules.d/70-hideez-key.rules`);
  });
});

describe('macOS', () => {
  it('explains why the app asks for Bluetooth', () => {
    expect(section('mac')).toMatch(/NSBluetoothAlwaysUsageDescription: \S+/);
  });
});
