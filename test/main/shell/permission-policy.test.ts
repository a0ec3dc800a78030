// The page asks Chromium for nothing; every permission is denied, even to our page.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_PERMISSIONS, isPermissionAllowed } from '../../../main/shell/permission-policy';

describe('browser permissions', () => {
  it('none is granted: devices and notifications are handled by main', () => {
    expect(ALLOWED_PERMISSIONS.size).toBe(0);
    for (const permission of ['hid', 'usb', 'serial', 'bluetooth', 'notifications', 'media']) {
      expect(isPermissionAllowed(permission, 'file:///app/index.html', () => true)).toBe(false);
    }
  });

  it('any permission from any page is denied (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.webUrl(), fc.boolean(), (permission, url, ours) => {
        expect(isPermissionAllowed(permission, url, () => ours)).toBe(false);
      }),
    );
  });
});
