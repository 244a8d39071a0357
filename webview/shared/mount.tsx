// Starts a webview app: adds the platform's base CSS and the app's own, then renders the
// root component into #root. Errors while rendering show as a readable message instead of
// a blank panel.
import { render, type ComponentChild } from 'preact';
import baseCss from './base.css';
import { addStyles } from './styles';

/** `css`: the app's own style sheets, added after the base in this order (later ones win). */
export function mountApp(app: ComponentChild, options: { css?: string | readonly string[] } = {}): void {
  addStyles(baseCss, ...(options.css === undefined ? [] : typeof options.css === 'string' ? [options.css] : options.css));
  const root = document.getElementById('root');
  if (!root) throw new Error('The page has no #root element.');
  try {
    render(app, root);
    root.removeAttribute('aria-busy');
  } catch (err) {
    root.textContent = `This view failed to render: ${(err as Error).message}`;
    root.className = 'fatal-error';
    throw err;
  }
}
