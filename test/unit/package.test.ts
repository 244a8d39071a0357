// What `npm run package` would put in the .vsix: the bundles, media, the manifest, README and
// LICENSE, and nothing of the sources, tests, caches or node_modules (vsce's own listing).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from './helpers';

describe('package (.vsix contents)', () => {
  let files: string[];

  before(function () {
    this.timeout(120_000);
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const r = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, `vsce ls failed: ${r.stderr}`);
    files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  });

  it('holds the extension bundle, the manifest, README and LICENSE', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/extension.js', 'dist/cli.js', 'media/tunix.svg']) {
      assert.ok(files.includes(f), `${f} is not packaged (vsce ls: ${files.join(', ')})`);
    }
  });

  it('holds nothing outside dist/, media/ and the top-level manifest, README and LICENSE', () => {
    const stray = files.filter((f) => !/^(dist|media)\//.test(f) && !['package.json', 'README.md', 'LICENSE'].includes(f));
    assert.deepEqual(stray, [], 'files that should not be in the .vsix');
    const forbidden = files.filter((f) => /(^|\/)(src|test|node_modules|\.cache|out|samples)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts'));
    assert.deepEqual(forbidden, [], 'sources, tests, caches or source maps in the .vsix');
  });
});
