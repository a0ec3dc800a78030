// How the HES client's events read in the companion's log: what happened to the server
// connection and to each vault channel, with sizes and timings of the relayed steps but
// never their bytes (they are the server's, protected for the key).
import type { LogLine } from '../app/log-line';
import type { HesClientEvent } from './hes-client';
import type { HubLog } from './hub-connection-factory';

export function hesEventLogLine(event: HesClientEvent): LogLine {
  switch (event.type) {
    case 'channelOpened':
      return info('HES_CHANNEL_OPENED', `remote channel for ${event.serialNo} opened`);
    case 'channelClosed':
      return info('HES_CHANNEL_CLOSED', `remote channel for ${event.serialNo} closed`);
    case 'channelFailed':
      return warn('HES_CHANNEL_FAILED', `remote channel for ${event.serialNo}: ${event.problem}`);
    case 'relayed':
      return info(
        'HES_RELAYED',
        `${event.serialNo} ${event.step}: ${event.requestBytes} B to the key, ` +
          `${event.replyBytes} B back in ${event.ms} ms`,
      );
    case 'relayFailed':
      return warn(
        'HES_RELAY_FAILED',
        `${event.serialNo}${event.step ? ` ${event.step}` : ''}: ${event.problem}`,
      );
    case 'proximitySettings':
      return info('HES_PROXIMITY', `proximity settings for ${event.settings.length} vault(s)`);
    case 'rfidIndicator':
      return info('HES_RFID', `RFID indicator ${event.enabled ? 'on' : 'off'}`);
    case 'pushRejected':
      return warn('HES_PUSH_REJECTED', `ignored ${event.target}: ${event.problem}`);
    case 'callFailed':
      return warn(
        'HES_CALL_FAILED',
        `${event.target} failed: ${event.code} (${event.reason}) ${event.message.slice(0, MAX_TEXT)}`.trim(),
      );
    case 'registrationFailed':
      return warn(
        'HES_REGISTRATION_FAILED',
        `registration answered ${event.code}: ${event.reason}`,
      );
    case 'invalidServerUrl':
      return warn('HES_INVALID_URL', `the stored server address is not valid: ${event.message}`);
  }
}

/** SignalR's own warnings (an unknown server method, a dropped transport) as log lines. */
export function hubLogTo(log: (line: LogLine) => void): HubLog {
  return (level, message) =>
    log({ level: 'warn', code: `SIGNALR_${level.toUpperCase()}`, message });
}

/** A server's own text is cut short in the log. */
const MAX_TEXT = 200;

const info = (code: string, message: string): LogLine => ({ level: 'info', code, message });
const warn = (code: string, message: string): LogLine => ({ level: 'warn', code, message });
