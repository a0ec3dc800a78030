// The HES address: an absolute http/https URL without credentials, query or
// fragment. The hubs hang off it as `<base>/appHub` and `<base>/deviceHub`, the
// trailing "/" normalised away (the SDK adds one; we join with one).
import { APP_HUB_PATH, DEVICE_HUB_PATH } from '../../shared/hes/dto';
import { hesError } from './hes-error';

export interface ServerUrl {
  /** Normalised base, without a trailing slash, e.g. "https://hes.corp/hes". */
  readonly base: string;
  readonly appHub: string;
  readonly deviceHub: string;
}

/** Validates and normalises a server address; throws HesError invalidServerUrl. */
export function parseServerUrl(text: string): ServerUrl {
  if (typeof text !== 'string' || text.trim() === '') throw hesError.invalidUrl('empty');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw hesError.invalidUrl('not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw hesError.invalidUrl('only http and https are allowed');
  }
  // The message never repeats the credentials it refuses.
  if (url.username !== '' || url.password !== '') {
    throw hesError.invalidUrl('credentials in the address are not allowed');
  }
  if (url.search !== '' || url.hash !== '') {
    throw hesError.invalidUrl('a query or fragment is not allowed');
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { base, appHub: base + APP_HUB_PATH, deviceHub: base + DEVICE_HUB_PATH };
}
