// What HES's envelope says for the exceptions a hub caller can meet (hes-contract.md §4.3):
// 1001 NonHideezException with the exception's text — an HESException's English sentence
// from Resource.resx, or .NET's own text (ArgumentNull, NullReference, EF Core's update
// failure). The texts themselves are in hes-texts.ts; this makes the exceptions.
import { HesErrorCode } from '../../../shared/errors/hes-error-code';
import { DB_UPDATE_FAILED, HES_EXCEPTION_TEXT, NULL_REFERENCE } from './hes-texts';
import { CompanionError } from '../../../shared/errors/companion-error';

/** An exception HES answers with 1001 and exactly this message. */
export class DotNetException extends CompanionError<typeof HesErrorCode.NonHideezException> {
  override readonly name = 'DotNetException';
  constructor(message: string) {
    super(HesErrorCode.NonHideezException, message);
  }
}

/** new HESException(code). */
export const hesException = (code: keyof typeof HES_EXCEPTION_TEXT): DotNetException =>
  new DotNetException(HES_EXCEPTION_TEXT[code]);

/** ArgumentNullException(parameter). */
export const argumentNull = (parameter: string): DotNetException =>
  new DotNetException(`Value cannot be null. (Parameter '${parameter}')`);

/** NullReferenceException: HES dereferences something missing. */
export const nullReference = (): DotNetException => new DotNetException(NULL_REFERENCE);

/** DbUpdateException from SaveChangesAsync (a NOT NULL column, a foreign key). */
export const dbUpdateFailed = (): DotNetException => new DotNetException(DB_UPDATE_FAILED);
