// One line of the companion's log: a level, a stable code and a message. Codes and
// messages name what happened, sizes and timings; never a code, PIN, key or relayed byte.
export interface LogLine {
  readonly level: 'info' | 'warn';
  readonly code: string;
  readonly message: string;
}
