// The layering rule of DESIGN.md: src/core is pure TypeScript and never imports 'vscode'
// (nor the extension layer), so the CLI, the trainer and plain-Node tests can use it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, sourceFiles } from './helpers';

const importRe = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(importRe)].map((m) => m[1] ?? m[2] ?? m[3]);
}

describe('architecture', () => {
  it('src/core never imports vscode or the extension, trainer, cli or webview layers', () => {
    const files = sourceFiles(path.join(repoRoot, 'src', 'core'));
    assert.ok(files.length > 0);
    const offenders: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(f)) {
        const resolved = spec.startsWith('.') ? path.resolve(path.dirname(f), spec) : spec;
        if (spec === 'vscode' || /[\\/]src[\\/](extension|trainer|cli|webview)([\\/]|$)/.test(resolved) || resolved.includes(`${path.sep}webview${path.sep}`)) {
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

  it('the extension layer never imports sql.js or tfjs directly (they load lazily through core)', () => {
    for (const f of sourceFiles(path.join(repoRoot, 'src', 'extension'))) {
      for (const spec of importsOf(f)) {
        assert.ok(!/^(sql\.js|@tensorflow\/)/.test(spec), `${path.relative(repoRoot, f)} imports ${spec}`);
      }
    }
  });
});
