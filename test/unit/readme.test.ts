import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './helpers';

describe('README', () => {
  it('its tables of commands and settings match package.json', () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'readme-tables.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('its architecture map names every folder of src/core and src/extension, and no folder that is gone', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const start = readme.indexOf('## Architecture');
    const map = readme.slice(readme.indexOf('```', start), readme.indexOf('```', readme.indexOf('```', start) + 3));
    const folders = (dir: string) => fs.readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    for (const dir of ['src/core', 'src/extension']) {
      const named = folders(dir).filter((f) => new RegExp(`(^|\\s)${f}/`, 'm').test(map));
      assert.deepEqual(named, folders(dir), `${dir} folders the README's map leaves out`);
    }
    const mentioned = [...map.matchAll(/^ {2}([a-z-]+)\//gm)].map((m) => m[1]);
    const gone = mentioned.filter((f) => !fs.existsSync(path.join(repoRoot, 'src', 'core', f)) && !fs.existsSync(path.join(repoRoot, 'src', 'extension', f)));
    assert.deepEqual(gone, [], 'folders in the map that no longer exist');
  });

  it('unit tests mirror the source: one folder per src/core area, plus cli, trainer and extension', () => {
    const dirs = fs.readdirSync(path.join(repoRoot, 'test', 'unit'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const strays = dirs.filter((d) => !fs.existsSync(path.join(repoRoot, 'src', 'core', d)) && !['cli', 'trainer', 'extension'].includes(d));
    assert.deepEqual(strays, [], 'test/unit folders with no src/core area of that name');
  });

  it('names every runtime dependency and says why it is there', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const names = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies), ...Object.keys(pkg.optionalDependencies ?? {})].filter(
      (n) => !n.startsWith('@types/'),
    );
    const missing = names.filter((n) => !readme.includes(`\`${n}\``));
    assert.deepEqual(missing, [], 'dependencies the README does not explain');
  });

  it('every contributed command is in the Tunix category and every setting has a description', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    for (const c of pkg.contributes.commands) assert.equal(c.category, 'Tunix', c.command);
    for (const [k, p] of Object.entries<any>(pkg.contributes.configuration.properties)) assert.ok(p.description || p.markdownDescription, k);
    assert.ok(!pkg.activationEvents.includes('*'), 'activation must be lazy');
  });
});
