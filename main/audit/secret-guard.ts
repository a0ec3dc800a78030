// Audit events go to the server in clear and sit in a file on disk, so they must
// never carry activation codes, PINs, passwords or keys. Callers are responsible
// for that (notes are short labels such as "Proximity" or a lock reason); this
// guard is the safety net for the obvious mistake of writing "PIN: 1234" or
// "activationCode=123456" into a text field. It looks for a secret's name followed
// by ':' or '=' and refuses the whole event; it cannot recognise a bare secret.

const SECRET_LABEL =
  /(?:^|[^a-z0-9])(?:pin(?:[\s_-]*code)?|pass(?:word|wd|phrase)?|pwd|activation[\s_-]*code|master[\s_-]*key|secret|otp(?:[\s_-]*code)?|token|api[\s_-]*key|private[\s_-]*key)\s*[:=]/i;

/** True if the text looks like it labels a secret value ("PIN: …", "password=…"). */
export const looksLikeSecret = (text: string): boolean => SECRET_LABEL.test(text);
