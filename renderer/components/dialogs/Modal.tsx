// The modal frame every prompt uses: role="dialog" with aria-modal, focus moved into
// it (its first field, else its first button), Tab kept inside, Escape cancels, and
// on close focus goes back where it was (or, when that element is gone, to
// `fallbackFocus`, the key's card). The rest of the page is made inert by App while a
// modal is open, so a pointer or a screen reader cannot reach it either.
import {
  useEffect,
  useId,
  useRef,
  type KeyboardEvent,
  type ReactElement,
  type ReactNode,
} from 'react';

const FOCUSABLE =
  'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

export interface ModalProps {
  readonly kind: string;
  readonly serialNo: string;
  readonly title: ReactNode;
  readonly children: ReactNode;
  /** Escape. */
  readonly onCancel: () => void;
  /** Where focus goes on close when the element focused before is gone. */
  readonly fallbackFocus?: () => void;
  /** Ids of elements describing the dialog. */
  readonly describedBy?: string;
  readonly busy?: boolean;
}

const focusables = (root: HTMLElement): HTMLElement[] =>
  Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE));

export function Modal(props: ModalProps): ReactElement {
  const { kind, serialNo, title, children, onCancel, fallbackFocus, describedBy, busy } = props;
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const cancelRef = useRef(onCancel);
  const fallbackRef = useRef(fallbackFocus);
  useEffect(() => {
    cancelRef.current = onCancel;
    fallbackRef.current = fallbackFocus;
  });

  useEffect(() => {
    const before = document.activeElement;
    const root = ref.current;
    if (root) {
      const first =
        root.querySelector<HTMLElement>('input:not([disabled])') ?? focusables(root)[0] ?? root;
      first.focus();
    }
    return () => {
      // After the commit (the page is no longer inert), and only if nothing else took
      // focus meanwhile (a following dialog focuses its own field).
      queueMicrotask(() => {
        const now = document.activeElement;
        if (now !== null && now !== document.body) return;
        if (before instanceof HTMLElement && before !== document.body && before.isConnected) {
          before.focus();
          if (document.activeElement === before) return;
        }
        fallbackRef.current?.();
      });
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      cancelRef.current();
      return;
    }
    if (event.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) {
      event.preventDefault();
      return;
    }
    const active = document.activeElement;
    const inside = items.includes(active as HTMLElement);
    if (event.shiftKey && (active === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop">
      <div
        ref={ref}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        aria-busy={busy ? true : undefined}
        data-testid="prompt-dialog"
        data-kind={kind}
        data-serial={serialNo}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}
