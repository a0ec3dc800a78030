// Why keys may not show up: Bluetooth missing, off or not allowed, and on Linux no
// permission for the key's USB device (with the udev rule that fixes it).
import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppSnapshot, LinkState } from '../../shared/ipc/snapshot';

const BLE_PROBLEMS: ReadonlySet<LinkState> = new Set([
  'unavailable',
  'unsupported',
  'poweredOff',
  'unauthorized',
  'resetting',
]);

export function hasLinkProblem(links: AppSnapshot['links']): boolean {
  return BLE_PROBLEMS.has(links.ble) || links.usb === 'unauthorized' || links.usb === 'unavailable';
}

export function LinkProblems(props: { readonly links: AppSnapshot['links'] }): ReactElement | null {
  const { t } = useTranslation();
  const { links } = props;
  if (!hasLinkProblem(links)) return null;
  return (
    <div className="link-problems">
      {links.usb === 'unauthorized' ? (
        <div className="callout warning" data-testid="usb-permission">
          <p className="callout-title">{t('links.usb.unauthorized.title')}</p>
          <p>{t('links.usb.unauthorized.body')}</p>
          <pre className="command">
            <code>{t('links.usb.unauthorized.command')}</code>
          </pre>
        </div>
      ) : null}
      {links.usb === 'unavailable' ? (
        <p className="callout info" data-testid="usb-unavailable">
          {t('links.usb.unavailable')}
        </p>
      ) : null}
      {BLE_PROBLEMS.has(links.ble) ? (
        <p className="callout info" data-testid="ble-problem" data-state={links.ble}>
          {t(`links.ble.${links.ble}`)}
        </p>
      ) : null}
    </div>
  );
}
