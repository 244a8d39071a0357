import * as assert from 'node:assert/strict';
import { cli, repoRoot, tempDir } from '../helpers';
import * as fs from 'node:fs';
import * as path from 'node:path';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

function subcommands(): string[] {
  const r = cli(['--help']);
  const block = r.stdout.split('Commands:')[1].split('Options:')[0];
  return block.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);
}

describe('tunix-rt CLI', () => {
  it('--version prints the package version', () => {
    const r = cli(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('with no command prints usage and exits 2', () => {
    const r = cli([]);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /Usage: tunix-rt <command>/);
  });

  it('an unknown command is an error on stderr with exit 2', () => {
    const r = cli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /unknown command "frobnicate"/);
  });

  it('every subcommand answers --help with its usage and exit 0', () => {
    const names = subcommands();
    assert.ok(names.includes('doctor'));
    for (const name of names) {
      const r = cli([name, '--help']);
      assert.equal(r.code, 0, `${name} --help exited ${r.code}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`Usage: tunix-rt ${name}`), name);
    }
  });

  it('an unknown flag names the flag and points at --help, exit 2', () => {
    const r = cli(['doctor', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--bogus/);
    assert.match(r.stderr, /tunix-rt doctor --help/);
  });

  it('doctor --json reports node, backends and the database location', () => {
    const dir = tempDir();
    const db = path.join(dir, 'sub', 'x.db');
    const r = cli(['doctor', '--json', '--skip-gpu-probe', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.node, process.version);
    assert.equal(report.database.path, db);
    assert.equal(report.database.exists, false);
    const names = report.backends.map((b: { name: string }) => b.name);
    assert.deepEqual(names, ['gpu', 'webgpu', 'native', 'wasm', 'cpu']);
    const wasm = report.backends.find((b: { name: string }) => b.name === 'wasm');
    assert.equal(wasm.available, true, wasm.detail);
    // tfjs-node cannot be installed here: its absence is reported, not a crash.
    assert.ok(report.backends.find((b: { name: string }) => b.name === 'native').detail.length > 0);
    assert.ok(['gpu', 'webgpu', 'native', 'wasm', 'cpu'].includes(report.autoBackend));
  });
});
