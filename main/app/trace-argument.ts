// The `--trace-ble FILE` argument (or `--trace-ble=FILE`) that turns on the Hideez Key 3
// field trace: the file's path, resolved, or undefined when it is not given (or has no value).
import { resolve } from 'node:path';

export const TRACE_BLE_ARGUMENT = '--trace-ble';

export function traceFileArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith(`${TRACE_BLE_ARGUMENT}=`)) {
      const value = arg.slice(TRACE_BLE_ARGUMENT.length + 1);
      return value === '' ? undefined : resolve(value);
    }
    if (arg === TRACE_BLE_ARGUMENT) {
      const value = argv[i + 1];
      return value === undefined || value.startsWith('--') ? undefined : resolve(value);
    }
  }
  return undefined;
}
