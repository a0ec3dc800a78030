// The `--trace-ble FILE` argument of the app and the demo.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceFileArgument } from '../../../main/app/trace-argument';

describe('--trace-ble', () => {
  it('takes the next argument or the value after "=", resolved; nothing without a value', () => {
    expect(traceFileArgument(['electron', '.', '--trace-ble', 'k3.trace'])).toBe(
      resolve('k3.trace'),
    );
    expect(traceFileArgument(['--trace-ble=/tmp/a.trace'])).toBe('/tmp/a.trace');
    expect(traceFileArgument(['--trace-ble'])).toBeUndefined();
    expect(traceFileArgument(['--trace-ble', '--other'])).toBeUndefined();
    expect(traceFileArgument(['--trace-ble='])).toBeUndefined();
    expect(traceFileArgument(['electron', '.'])).toBeUndefined();
  });
});
