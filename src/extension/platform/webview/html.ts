// The HTML page every webview of the extension loads: one script (the app's bundle), the
// codicon font, and a Content-Security-Policy that allows nothing else. Kept free of the
// 'vscode' module so it can be unit-tested in plain Node.
import { randomBytes } from 'node:crypto';

export interface WebviewPageInput {
  /** Page title (shown nowhere but in developer tools; escaped). */
  title: string;
  /** `webview.cspSource`: the origin the webview loads local resources from. */
  cspSource: string;
  /** A fresh nonce per page load (createNonce()). */
  nonce: string;
  /** webview.asWebviewUri(dist/webview/<app>.js) as a string. */
  scriptUri: string;
  /** webview.asWebviewUri(dist/webview/codicon.css) as a string. */
  codiconsUri: string;
}

/** 128 bits from the OS's random source, base64: what CSP nonces need to be unguessable. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy of every webview page:
 * - scripts: only those carrying this load's nonce (our bundle), no eval, no inline handlers;
 * - styles: our extension's files (codicons) and <style> elements carrying the nonce (the
 *   app's CSS, injected by webview/shared/styles.ts). Lit components style their shadow roots
 *   with constructable stylesheets, which CSP does not restrict;
 * - fonts and images: the extension's own files (and data: images, for rendered charts);
 * - everything else (fetch, frames, forms, objects): nothing.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function webviewPage(input: WebviewPageInput): string {
  const nonce = escapeAttribute(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttribute(input.codiconsUri)}" nonce="${nonce}">
<title>${escapeText(input.title)}</title>
</head>
<body>
<div id="root" aria-busy="true"></div>
<script nonce="${nonce}" src="${escapeAttribute(input.scriptUri)}"></script>
</body>
</html>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
