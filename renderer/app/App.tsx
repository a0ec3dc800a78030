import type { ReactElement } from 'react';

/** The application frame. The key list, dialogs and notices arrive with the renderer issue. */
export function App(): ReactElement {
  return (
    <main>
      <h1>Hideez Companion</h1>
      <p>Plug in or switch on your Hideez Key.</p>
    </main>
  );
}
