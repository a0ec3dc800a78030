// An e-mail address that wraps only where a reader expects it: after '.', '@' or '-'.
// CSS alone cannot say "break here and nowhere else" (overflow-wrap breaks mid-word), so
// a <wbr> break opportunity follows each separator and the style forbids other breaks.
import { Fragment, type ReactElement } from 'react';

/** The address cut after each separator: the pieces a line may end with. */
export function addressParts(address: string): string[] {
  return address.match(/[^.@-]+[.@-]*|[.@-]+/g) ?? [address];
}

export function EmailAddress(props: {
  readonly address: string;
  readonly className?: string;
}): ReactElement {
  const parts = addressParts(props.address);
  return (
    <span className={props.className} data-testid="email-address">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}
