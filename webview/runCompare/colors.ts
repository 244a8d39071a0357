// One colour per compared run, from VS Code's chart palette (theme-aware), in column order.
const VARS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

export function runColor(index: number): string {
  const i = index % VARS.length;
  const v = getComputedStyle(document.body).getPropertyValue(VARS[i]).trim();
  return v || FALLBACK[i];
}

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}
