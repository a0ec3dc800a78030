// Number formats for the tables: fixed, readable, and never "NaN" in a cell.

const dash = '–';

export function ms(
  value: number | undefined,
  digits = value !== undefined && value < 10 ? 2 : 0,
): string {
  if (value === undefined || !Number.isFinite(value)) return dash;
  return value.toFixed(digits);
}

export function int(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return dash;
  return Math.round(value).toLocaleString('en-US');
}

export function fixed(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return dash;
  return value.toFixed(digits);
}

export function percent(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return dash;
  return `${(value * 100).toFixed(digits)} %`;
}

export function bytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return dash;
  const sign = value < 0 ? '−' : '';
  const size = Math.abs(value);
  if (size >= 1024 * 1024) return `${sign}${(size / 1024 / 1024).toFixed(1)} MiB`;
  if (size >= 1024) return `${sign}${(size / 1024).toFixed(1)} KiB`;
  return `${sign}${Math.round(size)} B`;
}

export function rate(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond)) return dash;
  if (bytesPerSecond >= 1e6) return `${(bytesPerSecond / 1e6).toFixed(1)} MB/s`;
  if (bytesPerSecond >= 1e3) return `${(bytesPerSecond / 1e3).toFixed(1)} kB/s`;
  return `${bytesPerSecond.toFixed(0)} B/s`;
}
