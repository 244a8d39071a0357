// Entry point of dist/launcher.js: `node launcher.js <runDir>` (see launcher.ts).
import { runLauncher } from './launcher';

const runDir = process.argv[2];
if (!runDir) {
  process.stderr.write('Usage: node launcher.js <runDir>\n');
  process.exit(2);
}
runLauncher(runDir).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`launcher: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
