// The page every webview loads: its Content-Security-Policy and what it references.
import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, webviewPage } from '../../../../../src/extension/platform/webview/html';

const input = {
  title: 'Trace <b>"x"</b>',
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'abcDEF123+/=',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/traceViewer.js',
  codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/codicon.css',
};

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('webview page', () => {
  it('nonces are fresh, unguessable and CSP-safe (base64 of 128 bits)', () => {
    const seen = new Set(Array.from({ length: 1000 }, createNonce));
    assert.equal(seen.size, 1000);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
  });

  it('the policy denies by default and allows only nonce-carrying scripts and styles plus our own files', () => {
    const d = directives(contentSecurityPolicy(input.cspSource, input.nonce));
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    assert.deepEqual(d.get('script-src'), [`'nonce-${input.nonce}'`]);
    assert.deepEqual(d.get('style-src'), [input.cspSource, `'nonce-${input.nonce}'`]);
    assert.deepEqual(d.get('font-src'), [input.cspSource]);
    assert.deepEqual(d.get('img-src'), [input.cspSource, 'data:']);
    for (const [name, values] of d) {
      for (const v of values) assert.ok(!/unsafe-(inline|eval|hashes)|^\*$|^https?:$/.test(v), `${name} allows ${v}`);
    }
  });

  it('the page carries the policy, loads one nonce-tagged script and the codicons, and escapes its title', () => {
    const html = webviewPage(input);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    assert.ok(meta, 'a CSP meta tag');
    assert.equal(meta[1], contentSecurityPolicy(input.cspSource, input.nonce));
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(scripts, [` nonce="${input.nonce}" src="${input.scriptUri}"`]);
    assert.match(html, new RegExp(`<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${input.codiconsUri.replace(/[.+]/g, '\\$&')}" nonce="${input.nonce.replace(/[+]/g, '\\+')}">`));
    assert.match(html, /<title>Trace &lt;b&gt;"x"&lt;\/b&gt;<\/title>/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /<style/i, 'no inline style element without a nonce');
  });
});
