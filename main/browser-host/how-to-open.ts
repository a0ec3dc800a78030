// The page a browser gets when it asks the browser host under another name than
// 127.0.0.1:<port> (localhost:<port>, an old bookmark): instead of a blank 403, how to open
// the companion. Plain HTML with no script or style (the strict CSP stays as it is) and no
// token: whoever can read this page learns nothing they could not already see.

export function howToOpenPage(port: number): string {
  const address = `http://127.0.0.1:${port}/`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Hideez Companion</title></head>
<body>
<h1>Hideez Companion</h1>
<p>This is the Hideez Companion's local page, but it opens only at the full address the
companion gave you. That address starts with ${address} and ends with its secret
<code>#token=…</code>.</p>
<ul>
<li>Open the address <code>npm start</code> printed after <code>URL:</code> (copy the whole line).</li>
<li>If the companion is no longer running, start it again: it prints a new address.</li>
<li>Do not type <code>localhost</code> instead of <code>127.0.0.1</code>: only 127.0.0.1 works.</li>
</ul>
</body>
</html>
`;
}
