// A command line the emulator's tools (`npm run key`, `npm run hes`) cannot run: an unknown
// command or option, a missing or malformed value. The tool prints the message and its usage
// text and exits with 2.
import { CompanionError } from '../../shared/errors/companion-error';

export class UsageError extends CompanionError<'USAGE'> {
  override readonly name = 'UsageError';

  constructor(message: string) {
    super('USAGE', message);
  }
}
