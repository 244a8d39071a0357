// Split colours: VS Code's chart palette (theme variables, so light, dark and high-contrast
// themes each get colours chosen for them), in a fixed order by split position.
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#89d185', '#d18616', '#b180d7', '#f14c4c', '#cca700'];

export function splitColor(index: number): string {
  const k = index % PALETTE.length;
  return `var(${PALETTE[k]}, ${FALLBACK[k]})`;
}
