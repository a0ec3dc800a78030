// One key: its name and serial, the status badge with the one-line explanation from
// the shared view, the low-battery line, why its flow stopped, its details (owner,
// connection, battery, firmware, last sync), the actions its view offers, and its
// status history. Presentational: the key's snapshot in, the user's choices out.
import { useId, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeySnapshot } from '../../shared/ipc/snapshot';
import { LOW_BATTERY_PERCENT, isLowBattery } from '../../shared/key/battery';
import { LOW_BATTERY_MESSAGE } from '../../shared/view/view-kind';
import { pinActionOf } from '../../shared/view/pin-action';
import { stopReasonAddsToView } from '../../shared/view/stop-reason';
import { errorRef, translate, viewText, type MessageRef } from '../i18n/message-ref';
import { CodeDetails } from './CodeDetails';
import { EmailAddress } from './EmailAddress';
import { batteryLevel, formatTime, signalOf } from './format';
import { KeyHistory } from './KeyHistory';

export interface KeyCardProps {
  readonly keySnapshot: KeySnapshot;
  /** The answer to the user's last action on this card, when it failed. */
  readonly actionError?: MessageRef | undefined;
  readonly onRetry: (serialNo: string) => void;
  readonly onForget: (serialNo: string) => void;
  /** Opens the PIN dialog: Set PIN or Change PIN, as the card offers. */
  readonly onChangePin: (serialNo: string) => void;
  readonly onOpenSettings: () => void;
}

/** Steps after which the flow is idle: a retry can start it again. */
const idle = (key: KeySnapshot): boolean => key.step === 'stopped' || key.step === 'online';

function ConnectionText(props: { readonly keySnapshot: KeySnapshot }): ReactElement {
  const { t } = useTranslation();
  const key = props.keySnapshot;
  if (key.connection === 'disconnected') return <>{t('key.connection.disconnected')}</>;
  if (key.connection === 'connecting') return <>{t('key.connection.connecting')}</>;
  if (key.link === 'ble') {
    return (
      <>
        {key.rssi === undefined
          ? t('key.connection.ble')
          : t('key.connection.bleSignal', { signal: t(`key.signal.${signalOf(key.rssi)}`) })}
      </>
    );
  }
  return <>{key.link === 'usb' ? t('key.connection.usb') : t('key.unknown')}</>;
}

export function KeyCard(props: KeyCardProps): ReactElement {
  const { keySnapshot: key, actionError, onRetry, onForget, onChangePin, onOpenSettings } = props;
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const { view } = key;
  const connected = key.connection === 'connected';
  // The view already says a lock or a server verdict; the stop reason would only repeat it.
  const showError =
    key.step === 'stopped' &&
    key.error !== undefined &&
    stopReasonAddsToView(key.error.code, view.kind);
  const canRetry = connected && idle(key) && (view.actions.includes('retry') || showError);

  const offersRemove = view.actions.includes('removeKey');
  const canForget = offersRemove && key.connection === 'disconnected';
  const pinAction = pinActionOf(key);
  const canChangePin = pinAction !== undefined;
  const offersSettings = view.actions.includes('changeServer');
  const lowBattery = isLowBattery(key.battery);
  const lastSync = key.lastSync ? formatTime(key.lastSync, i18n.language) : undefined;

  return (
    <article
      className={`key-card severity-${view.severity}`}
      data-testid="key-card"
      data-serial={key.serialNo}
      data-view-kind={view.kind}
      data-step={key.step}
      data-connection={key.connection}
      aria-labelledby={headingId}
      tabIndex={-1}
    >
      <div className="card-head">
        <div className="card-title">
          <h3 id={headingId}>{key.name}</h3>
          <p className="serial">
            <span className="label">{t('key.serial')}</span> <span>{key.serialNo}</span>
          </p>
        </div>
        <span className={`connection-pill connection-${key.connection}`}>
          <span className="connection-dot" aria-hidden="true" />
          <ConnectionText keySnapshot={key} />
        </span>
      </div>

      <div className="status" data-testid="key-status">
        <span className={`badge badge-${view.severity}`}>{t(`status.${view.kind}`)}</span>
        <p className="status-text">{viewText(t, view.messageKey, view.params)}</p>
        {view.serverNotice ? (
          <p className="server-notice">{t(view.serverNotice.messageKey)}</p>
        ) : null}
      </div>

      {lowBattery ? (
        <p className="card-line warning-line" data-testid="key-low-battery">
          {t(LOW_BATTERY_MESSAGE, { percent: LOW_BATTERY_PERCENT })}
        </p>
      ) : null}
      {showError && key.error ? (
        <p className="card-line error-line" data-testid="key-error">
          {t('key.stopped', { reason: translate(t, errorRef(key.error)) })}
        </p>
      ) : null}
      {/* Codes (the view's, why the flow stopped) only here, folded away. */}
      <CodeDetails
        testId="key-code-details"
        codes={[
          'code' in view.params ? view.params.code : undefined,
          key.step === 'stopped' ? key.error?.code : undefined,
        ]}
      />

      <dl className="facts">
        <div>
          <dt>{t('key.owner')}</dt>
          <dd data-testid="key-owner">
            {key.ownerName ?? t('key.ownerUnknown')}
            {key.ownerEmail ? (
              <EmailAddress className="owner-email" address={key.ownerEmail} />
            ) : null}
          </dd>
        </div>
        <div>
          <dt>{t('key.battery')}</dt>
          <dd data-testid="key-battery">
            {key.battery === undefined ? (
              t('key.unknown')
            ) : (
              <>
                <span
                  className={`battery-icon${lowBattery ? ' low' : ''}`}
                  data-level={batteryLevel(key.battery)}
                  aria-hidden="true"
                />
                {t('key.batteryValue', { percent: key.battery })}
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('key.firmware')}</dt>
          <dd>{key.firmwareVersion ?? t('key.unknown')}</dd>
        </div>
        <div>
          <dt>{t('key.lastSync')}</dt>
          <dd>
            {key.lastSync && lastSync ? (
              <time dateTime={key.lastSync}>{lastSync}</time>
            ) : (
              t('key.notYet')
            )}
          </dd>
        </div>
      </dl>

      {view.actions.includes('contactAdmin') ? (
        <p className="card-line hint-line">{t('key.contactAdmin')}</p>
      ) : null}
      {offersRemove && !canForget ? (
        <p className="card-line hint-line">{t('key.forgetHint')}</p>
      ) : null}
      {actionError ? (
        <p className="card-line error-line" role="alert">
          {translate(t, actionError)}
        </p>
      ) : null}
      <CodeDetails codes={[actionError?.code]} />

      {canRetry || canForget || canChangePin || offersSettings ? (
        <div
          className="card-actions"
          role="group"
          aria-label={t('key.actionsLabel', { name: key.name })}
        >
          {canRetry ? (
            <button
              type="button"
              className="button primary"
              data-testid="action-retry"
              onClick={() => onRetry(key.serialNo)}
            >
              {t('action.retry')}
            </button>
          ) : null}
          {canChangePin ? (
            <button
              type="button"
              className="button secondary"
              data-testid={pinAction === 'setPin' ? 'action-set-pin' : 'action-change-pin'}
              onClick={() => onChangePin(key.serialNo)}
            >
              {pinAction === 'setPin' ? t('action.setPin') : t('action.changePin')}
            </button>
          ) : null}
          {offersSettings ? (
            <button
              type="button"
              className="button secondary"
              data-testid="action-settings"
              onClick={onOpenSettings}
            >
              {t('action.settings')}
            </button>
          ) : null}
          {canForget ? (
            <button
              type="button"
              className="button danger"
              data-testid="action-forget"
              onClick={() => onForget(key.serialNo)}
            >
              {t('action.forget')}
            </button>
          ) : null}
        </div>
      ) : null}

      <KeyHistory entries={key.history} />
    </article>
  );
}
