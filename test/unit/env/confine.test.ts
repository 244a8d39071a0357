// Confinement through links: the checks every write into a data-named folder goes through.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertNoLinksOut, assertRealInside, linksOutOf, realLocation } from '../../../src/core/env/confine';
import { datasetDir } from '../../../src/core/dataset/manifest';
import { isUserError } from '../../../src/core/errors';
import { tempDir } from '../helpers';

describe('confinement through links', function () {
  before(function () {
    if (process.platform === 'win32') this.skip(); // symbolic links need privileges there
  });

  it('realLocation resolves links in the existing part and keeps the rest', () => {
    const root = fs.realpathSync(tempDir('tunix-real-'));
    fs.mkdirSync(path.join(root, 'target'));
    fs.symlinkSync(path.join(root, 'target'), path.join(root, 'link'));
    assert.equal(realLocation(path.join(root, 'link', 'not', 'yet')), path.join(root, 'target', 'not', 'yet'));
    assert.equal(realLocation(path.join(root, 'plain')), path.join(root, 'plain'));
  });

  it('assertRealInside refuses a folder that is, or sits below, a link out; links that stay inside pass', () => {
    const root = fs.realpathSync(tempDir('tunix-inside-'));
    const base = path.join(root, 'base');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(path.join(base, 'sub'), { recursive: true });
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(base, 'out'));
    fs.symlinkSync(path.join(base, 'sub'), path.join(base, 'in'));
    assert.throws(() => assertRealInside(base, path.join(base, 'out', 'x'), 'The run folder'), (e: Error) => isUserError(e) && /leads outside/.test(e.message) && e.message.includes(outside));
    assertRealInside(base, path.join(base, 'in', 'x'), 'The run folder');
    assertRealInside(base, path.join(base, 'new', 'deeper'), 'The run folder');
  });

  it('linksOutOf finds links below a folder that lead out (or dangle), not those that stay in', () => {
    const root = fs.realpathSync(tempDir('tunix-links-'));
    const dir = path.join(root, 'run');
    fs.mkdirSync(path.join(dir, 'checkpoints', 'a'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'checkpoints', 'a'), path.join(dir, 'latest'));
    fs.symlinkSync('/etc', path.join(dir, 'checkpoints', 'etc'));
    fs.symlinkSync(path.join(root, 'missing'), path.join(dir, 'dangling'));
    const found = linksOutOf(dir).map((l) => l.link).sort();
    assert.deepEqual(found, [path.join('checkpoints', 'etc'), 'dangling']);
    assert.throws(() => assertNoLinksOut(dir, 'The run folder'), /holds links that lead outside it/);
    assert.deepEqual(linksOutOf(path.join(root, 'absent')), []);
  });

  it('a datasets folder that links out of the database folder is refused before a manifest is written', () => {
    const root = fs.realpathSync(tempDir('tunix-ds-link-'));
    const db = path.join(root, 'ws', '.tunix', 'tunix.db');
    fs.mkdirSync(path.dirname(db), { recursive: true });
    fs.mkdirSync(path.join(root, 'elsewhere'));
    fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'ws', '.tunix', 'datasets'));
    assert.throws(() => datasetDir(db, 'mine-v1'), (e: Error) => isUserError(e) && /The datasets folder .* leads outside/.test(e.message));
  });
});
