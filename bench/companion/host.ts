// The companion's process (forked by companion-process.ts). It reads its own usage
// first, before anything of the companion is loaded, so the runtime's and the
// loader's share of the memory can be told from the services' share; then it wraps
// the timer functions to count them (timer-census.ts) and loads the host proper.
import { installTimerCensus } from './timer-census';
import { readUsage } from './usage';

process.send?.({ t: 'booted', usage: readUsage() });
installTimerCensus();
await import('./host-main');
