import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { confinedJoin, resolveDatabasePath } from '../../../src/core/env/paths';

describe('paths', () => {
  it('defaults the database to .tunix/tunix.db under the folder', () => {
    assert.equal(resolveDatabasePath('/ws', ''), path.join('/ws', '.tunix', 'tunix.db'));
    assert.equal(resolveDatabasePath('/ws', 'data/t.db'), path.join('/ws', 'data', 't.db'));
    assert.equal(resolveDatabasePath('/ws', '/abs/t.db'), '/abs/t.db');
  });

  it('confinedJoin keeps data-derived paths inside their folder', () => {
    assert.equal(confinedJoin('/root/runs', 'abc', 'metrics.jsonl'), path.join('/root/runs/abc/metrics.jsonl'));
    assert.throws(() => confinedJoin('/root/runs', '../etc/passwd'), /escapes its folder/);
    assert.throws(() => confinedJoin('/root/runs', '/etc/passwd'), /escapes its folder/);
    assert.throws(() => confinedJoin('/root/runs', 'a/../../b'), /escapes its folder/);
  });
});
