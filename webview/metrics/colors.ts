// Run colours from VS Code's chart palette (theme variables), so they read well in light,
// dark and high-contrast themes; read when a chart is built and again when the theme changes.
const VARS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#388a34', '#b180d7', '#f14c4c', '#cca700'];

export function palette(): string[] {
  const style = getComputedStyle(document.body);
  return VARS.map((v, i) => style.getPropertyValue(v).trim() || FALLBACK[i]);
}

export function runColor(index: number): string {
  const p = palette();
  return p[index % p.length];
}

export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

/** The colour with an alpha, for faint raw lines behind smoothed ones. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color);
  if (hex) return `#${hex[1]}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color);
  if (rgb) return `rgba(${rgb[1]},${rgb[2]},${rgb[3]},${alpha})`;
  return color;
}
