// The layering (docs/architecture.md): src/core is pure TypeScript and imports nothing above
// it (not 'vscode', not the extension, trainer, cli, webview or shared layers), so the CLI,
// the trainer and plain-Node tests use it; in src/extension every feature folder stands on
// src/extension/platform, core and shared only, never on another feature.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, sourceFiles } from './helpers';

const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(importRe)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
}

describe('architecture', () => {
  it('src/core never imports vscode or the extension, trainer, cli, shared or webview layers', () => {
    const files = sourceFiles(path.join(repoRoot, 'src', 'core'));
    assert.ok(files.length > 0);
    const offenders: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(f)) {
        const resolved = spec.startsWith('.') ? path.resolve(path.dirname(f), spec) : spec;
        if (spec === 'vscode' || /[\\/]src[\\/](extension|trainer|cli|webview|shared)([\\/]|$)/.test(resolved) || resolved.includes(`${path.sep}webview${path.sep}`)) {
          offenders.push(`${path.relative(repoRoot, f)} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('src/shared (the webview message contract) imports nothing but types from core', () => {
    const dir = path.join(repoRoot, 'src', 'shared');
    for (const f of sourceFiles(dir)) {
      for (const spec of importsOf(f)) assert.ok(spec !== 'vscode', `${f} imports vscode`);
    }
  });

  it('each extension feature imports only its own folder, the platform floor, core and shared; the platform no feature', () => {
    const extensionDir = path.join(repoRoot, 'src', 'extension');
    const folderOf = (file: string) => path.relative(extensionDir, file).split(path.sep)[0];
    const offenders: string[] = [];
    for (const f of sourceFiles(extensionDir)) {
      const own = folderOf(f);
      for (const spec of importsOf(f)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(f), spec);
        if (!target.startsWith(extensionDir + path.sep)) continue; // core, shared: allowed
        const theirs = folderOf(target);
        // Top-level files (extension.ts, features.ts) wire the features together: they may import any.
        if (own.endsWith('.ts') || theirs === own || theirs === 'platform') continue;
        offenders.push(`${path.relative(repoRoot, f)} imports ${spec} (feature "${theirs}")`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('every contributed command has a typed id in src/extension/platform/commands.ts, and every id there is contributed', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
    const text = fs.readFileSync(path.join(repoRoot, 'src', 'extension', 'platform', 'commands.ts'), 'utf8');
    const block = text.slice(text.indexOf('export const Commands = {'), text.indexOf('} as const;'));
    const typed = [...block.matchAll(/: '(tunix\.[^']+)'/g)].map((m) => m[1]).filter((id) => id !== 'tunix.traces.focus').sort();
    assert.deepEqual(typed, contributed);
  });

  it('the extension runs its own commands by typed id, never by a string written out', () => {
    const offenders: string[] = [];
    for (const f of sourceFiles(path.join(repoRoot, 'src', 'extension'))) {
      if (f.endsWith(path.join('platform', 'commands.ts'))) continue;
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(executeCommand|registerCommand)(<[^>]*>)?\(\s*'(tunix\.[^']+)'|command: '(tunix\.[^']+)'/g)) offenders.push(`${path.relative(repoRoot, f)}: ${m[0]}`);
    }
    assert.deepEqual(offenders, []);
  });

  it('the extension layer never imports sql.js or tfjs directly (they load lazily through core)', () => {
    for (const f of sourceFiles(path.join(repoRoot, 'src', 'extension'))) {
      for (const spec of importsOf(f)) {
        assert.ok(!/^(sql\.js|@tensorflow\/)/.test(spec), `${path.relative(repoRoot, f)} imports ${spec}`);
      }
    }
  });
});
