// Keeps the README's tables of commands and settings in sync with package.json.
//   node scripts/readme-tables.mjs          rewrite the tables in README.md
//   node scripts/readme-tables.mjs --check  exit 1 (and say what differs) when out of date
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const cell = (s) => String(s ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');

export function commandsTable() {
  const rows = pkg.contributes.commands.map((c) => `| ${cell(`${c.category}: ${c.title}`)} | \`${c.command}\` |`);
  return ['| Command | Id |', '| --- | --- |', ...rows].join('\n');
}

export function settingsTable() {
  const props = pkg.contributes.configuration.properties;
  const rows = Object.entries(props).map(([key, p]) => {
    const def = p.default === '' ? '(empty)' : `\`${JSON.stringify(p.default)}\``;
    return `| \`${key}\` | ${def} | ${cell(p.markdownDescription ?? p.description)} |`;
  });
  return ['| Setting | Default | Description |', '| --- | --- | --- |', ...rows].join('\n');
}

function replaceBlock(text, name, body) {
  const re = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`README.md lacks the <!-- ${name}:start --> / <!-- ${name}:end --> markers`);
  return text.replace(re, (_m, start, end) => `${start}\n${body}\n${end}`);
}

const readmePath = join(root, 'README.md');
const current = readFileSync(readmePath, 'utf8');
const wanted = replaceBlock(replaceBlock(current, 'commands', commandsTable()), 'settings', settingsTable());
if (process.argv.includes('--check')) {
  if (wanted !== current) {
    console.error('README.md tables are out of date with package.json; run `node scripts/readme-tables.mjs`.');
    process.exit(1);
  }
} else if (wanted !== current) {
  writeFileSync(readmePath, wanted);
  console.log('README.md tables updated');
}
