// @vitest-environment jsdom
// axe-core on the main screens, in jsdom. Rules that need a real layout (colour
// contrast) are left to the end-to-end tests in Chromium; contrast of the theme's
// colour pairs is computed in contrast.test.ts.
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { mountApp } from './app-harness';
import { SERIAL, appSnapshot, awaitingCode, keySnapshot, viewFor } from './fixtures';

async function violations(): Promise<string[]> {
  const results = await axe.run(document.body, {
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  return results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

describe('axe finds nothing on', () => {
  it('the empty state with link problems', async () => {
    mountApp(appSnapshot([], { links: { usb: 'unauthorized', ble: 'poweredOff' } }));
    expect(await violations()).toEqual([]);
  });

  it('keys with notices, actions and history', async () => {
    const app = mountApp(
      appSnapshot([
        keySnapshot({ battery: 10 }),
        keySnapshot({
          serialNo: 'ST2',
          name: 'Spare key',
          connection: 'disconnected',
          step: 'stopped',
          view: viewFor('compromised'),
          error: { code: 'WORKFLOW_DISCONNECTED', message: 'The key was disconnected.' },
        }),
        keySnapshot({ serialNo: 'ST3', name: 'Old key', view: viewFor('serverUnreachable') }),
      ]),
    );
    app.notice({ serialNo: 'ST2', kind: 'compromised', severity: 'error' });
    app.notice({ serialNo: SERIAL, kind: 'lowBattery', severity: 'warning' });
    expect(await violations()).toEqual([]);
  });

  it('the activation dialog at its last attempt, after a wrong code', async () => {
    mountApp(
      appSnapshot([
        awaitingCode(1, {
          prompt: {
            kind: 'activationCode',
            attemptsRemain: 1,
            reason: 'suspension',
            lastResult: 'wrong',
          },
          view: viewFor('suspended'),
        }),
      ]),
    );
    expect(await violations()).toEqual([]);
  });

  it('the new-PIN dialog, in Russian', async () => {
    mountApp(
      appSnapshot([
        keySnapshot({
          step: 'awaitingNewPin',
          prompt: { kind: 'newPin', minLength: 4, maxLength: 8, lastResult: 'mismatch' },
          view: viewFor('newPinRequired'),
        }),
      ]),
      { language: 'ru' },
    );
    expect(await violations()).toEqual([]);
  });

  it('the settings, in Ukrainian', async () => {
    mountApp(appSnapshot(), { language: 'uk' });
    await userEvent.setup().click(screen.getByTestId('open-settings'));
    expect(await violations()).toEqual([]);
  });

  it('a page that lost the companion', async () => {
    const app = mountApp(undefined);
    app.bridge('lost');
    expect(await violations()).toEqual([]);
  });
});
