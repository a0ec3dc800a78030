// The page's CSP has no 'unsafe-eval'. zod probes `new Function` once to decide on
// its compiled fast path, and the browser reports that probe as a CSP violation even
// though zod catches the error: jitless skips the probe. Imported first by main.tsx.
import { config } from 'zod';

config({ jitless: true });
