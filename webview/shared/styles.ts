// Adds the app's CSS to the page. The page's Content-Security-Policy admits only <style>
// elements that carry this load's nonce, which the page gave our <script> element.
const scriptNonce = (document.currentScript as HTMLScriptElement | null)?.nonce || document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce || '';

export function addStyles(...cssTexts: string[]): void {
  for (const css of cssTexts) {
    const style = document.createElement('style');
    style.nonce = scriptNonce;
    style.textContent = css;
    document.head.appendChild(style);
  }
}
