// A small in-test CompanionService (a test peer of the contract's interface): records
// calls, answers what the test says, and lets the test push events.
import type { RoutedService } from '../../../main/ipc/companion-port';
import type { CommandResult, Notice } from '../../../shared/ipc/contract';
import type { AppSnapshot } from '../../../shared/ipc/snapshot';

export const SNAPSHOT: AppSnapshot = {
  server: { connection: { state: 'connected' }, url: 'https://hes.example.com' },
  links: { usb: 'ready', ble: 'unavailable' },
  keys: [],
};

/** Records every call; answers what the test sets, or throws when told to. */
export function peerService(
  answer: (name: string, args: unknown[]) => unknown = () => ({ ok: true, value: 'x' }),
) {
  const calls: { name: string; args: unknown[] }[] = [];
  const snapshotListeners = new Set<(s: AppSnapshot) => void>();
  const noticeListeners = new Set<(n: Notice) => void>();
  const act =
    (name: string) =>
    (...args: unknown[]): Promise<CommandResult> => {
      calls.push({ name, args });
      return Promise.resolve(answer(name, args) as CommandResult);
    };
  const service: RoutedService = {
    snapshot: () => SNAPSHOT,
    onSnapshot: (l) => (snapshotListeners.add(l), () => void snapshotListeners.delete(l)),
    onNotice: (l) => (noticeListeners.add(l), () => void noticeListeners.delete(l)),
    submitActivationCode: act('submitActivationCode'),
    submitNewPin: act('submitNewPin'),
    submitPin: act('submitPin'),
    changePin: act('changePin'),
    setPin: act('setPin'),
    cancelPrompt: act('cancelPrompt'),
    retryKey: act('retryKey'),
    forgetKey: act('forgetKey'),
    setServerUrl: act('setServerUrl'),
    checkServer: act('checkServer'),
  };
  return { service, calls, snapshotListeners, noticeListeners };
}
