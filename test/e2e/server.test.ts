// The server as the employee sees it in the header and on the key's card: the stand-in
// stopped (offline) and started again on the same port and database (connected), and a
// workstation the administrator has not approved (notApproved until approved).
import { describe, it } from 'vitest';
import { activateKey } from './harness/activate';
import { useBrowser } from './harness/browser';
import { enterCode } from './harness/steps';
import { walk } from './harness/walk';

const chromium = useBrowser();

describe('the server in the browser', { timeout: 90_000 }, () => {
  it('8. server down: offline in the header; back: connected', async () => {
    await walk(chromium.browser, {}, async ({ world, ui, serial }) => {
      await activateKey(ui, world, serial);
      await world.rig.kill();
      await ui.serverStatus('offline');
      await ui.screen('08-server-offline', world.typed);

      await world.rig.restart();
      await ui.serverStatus('connected');
      await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
    });
  });

  it('9. workstation not approved: notApproved in the header and on the card; approval resumes', async () => {
    await walk(chromium.browser, { approve: false }, async ({ world, ui, serial }) => {
      const code = world.reserve(serial);
      await ui.serverStatus('notApproved');
      await world.plug(serial);
      await ui.cardWith(serial, { 'data-view-kind': 'notApproved' });
      await ui.screen('09-not-approved', world.typed);

      await world.approve();
      await ui.serverStatus('connected');
      await enterCode(ui, serial, code, world.typed);
      await ui.noDialog();
      await ui.cardWith(serial, { 'data-view-kind': 'active', 'data-step': 'online' });
    });
  });
});
