// Which URLs count as the app's own page, what the page may load, and which IPC
// senders are trusted: parsed-URL decisions, never string prefixes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  devServerAppPage,
  fileAppPage,
  isAllowedResourceUrl,
  isAppPageUrl,
  isTrustedSender,
} from '../../../main/shell/app-page';

const packaged = fileAppPage('/opt/Hideez Companion/resources/app.asar/out/renderer/index.html');
const INDEX = 'file:///opt/Hideez%20Companion/resources/app.asar/out/renderer/index.html';
const dev = devServerAppPage('http://localhost:5173/');

describe('the packaged page', () => {
  it('is our index.html, with or without a query or fragment', () => {
    expect(isAppPageUrl(INDEX, packaged)).toBe(true);
    expect(isAppPageUrl(`${INDEX}#/keys`, packaged)).toBe(true);
    expect(isAppPageUrl(`${INDEX}?x=1`, packaged)).toBe(true);
  });

  it('is not another local file, a remote host, a prefix trick or garbage', () => {
    for (const url of [
      'file:///etc/passwd',
      `${INDEX}.evil.html`,
      'file://evil.example/opt/Hideez%20Companion/resources/app.asar/out/renderer/index.html',
      'https://example.com/index.html',
      'http://localhost:5173/',
      'not a url',
      '',
    ]) {
      expect(isAppPageUrl(url, packaged), url).toBe(false);
    }
  });

  it('loads its own assets, but nothing outside its folder and nothing remote', () => {
    const assets = INDEX.replace('index.html', 'assets/index-abc.js');
    expect(isAllowedResourceUrl(assets, packaged)).toBe(true);
    expect(isAllowedResourceUrl('data:image/png;base64,AAAA', packaged)).toBe(true);
    for (const url of [
      INDEX.replace('out/renderer/index.html', 'out/main/index.js'),
      INDEX.replace('index.html', '../main/index.js'),
      INDEX.replace('index.html', '%2e%2e/main/index.js'),
      INDEX.replace('index.html', 'assets%2F..%2F..%2Fmain%2Findex.js'),
      'https://cdn.example.com/react.js',
      'http://127.0.0.1:8080/',
      'ws://127.0.0.1:5173/',
      'file:///home/user/.ssh/id_rsa',
    ]) {
      expect(isAllowedResourceUrl(url, packaged), url).toBe(false);
    }
  });

  it('no remote http(s) URL is ever allowed (property)', () => {
    fc.assert(
      fc.property(fc.webUrl(), (url) => {
        expect(isAllowedResourceUrl(url, packaged)).toBe(false);
        expect(isAppPageUrl(url, packaged)).toBe(false);
      }),
    );
  });
});

describe('the development page', () => {
  it('is the dev server origin, its hot-reload socket included', () => {
    expect(isAppPageUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isAllowedResourceUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedResourceUrl('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedResourceUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedResourceUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
  });

  it('must be plain http on a loopback address', () => {
    expect(() => devServerAppPage('http://example.com:5173/')).toThrow(RangeError);
    expect(() => devServerAppPage('file:///tmp/index.html')).toThrow(RangeError);
    expect(() => devServerAppPage('nonsense')).toThrow(RangeError);
    expect(devServerAppPage('http://127.0.0.1:9000').origin).toBe('http://127.0.0.1:9000');
  });
});

describe('IPC senders', () => {
  it("are trusted only as our window's main frame showing our page", () => {
    expect(isTrustedSender({ url: INDEX, isOurMainFrame: true }, packaged)).toBe(true);
    expect(isTrustedSender({ url: INDEX, isOurMainFrame: false }, packaged)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isOurMainFrame: true }, packaged)).toBe(
      false,
    );
    expect(isTrustedSender({ url: null, isOurMainFrame: true }, packaged)).toBe(false);
  });
});
