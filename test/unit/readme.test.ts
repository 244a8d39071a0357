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
