// The `tunix-rt import` and `tunix-rt traces` commands as real processes (dist/cli.js).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, cliJson, tempDir } from '../helpers';

function trace(n: number, meta: Record<string, unknown> = {}) {
  return {
    trace_version: '1.0',
    prompt: `What is ${n} + ${n}? ${n % 2 ? 'odd-word' : 'even-word'}`,
    final_answer: String(2 * n),
    steps: [
      { i: 0, type: 'add', content: `${n} + ${n} = ${2 * n}` },
      { i: 1, type: 'result', content: `so ${2 * n}` },
    ],
    meta: { source: n < 5 ? 'alpha' : 'beta', category: n % 2 ? 'odd' : 'even', level: n % 3, ...meta },
  };
}

describe('tunix-rt import / traces', function () {
  this.timeout(60_000);
  let dir: string;
  let db: string;
  let file: string;
  before(() => {
    dir = tempDir();
    db = path.join(dir, 'nested', 'folders', 'tunix.db');
    file = path.join(dir, 'traces.jsonl');
    const lines = Array.from({ length: 12 }, (_, n) => JSON.stringify(trace(n)));
    lines.splice(3, 0, '{"prompt": "broken"');
    fs.writeFileSync(file, lines.join('\n') + '\n');
  });

  it('import --json reports imported, duplicates and invalid lines, creating the --db folders; exit 0 despite invalid lines', () => {
    const r = cli(['import', file, '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.imported, 12);
    assert.equal(report.duplicates, 0);
    assert.equal(report.invalid, 1);
    assert.deepEqual(
      report.invalidLines.map((l: { line: number; code: string }) => [l.line, l.code]),
      [[4, 'TRC001']],
    );
    assert.ok(fs.existsSync(db));
    const again = cliJson(['import', file, '--db', db, '--json']);
    assert.deepEqual([again.imported, again.duplicates, again.invalid], [0, 12, 1]);
  });

  it('import in text mode lists bad lines as FILE:LINE:COL and a summary on stderr', () => {
    const r = cli(['import', file, '--db', db]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: TRC001 `));
    assert.match(r.stderr, /0 imported, 12 duplicates, 1 invalid/);
  });

  it('import of a missing file: exit 2, clear message, no database created', () => {
    const other = path.join(dir, 'none', 'x.db');
    const r = cli(['import', path.join(dir, 'missing.jsonl'), '--db', other, '--json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /File not found: .*missing\.jsonl/);
    assert.equal(fs.existsSync(other), false);
  });

  it('traces list pages with --limit/--after, filters with --source/--category/--filter, sorts', () => {
    const first = cliJson(['traces', 'list', '--db', db, '--limit', '5', '--json']);
    assert.equal(first.items.length, 5);
    assert.ok(first.next);
    const seen = first.items.map((i: { id: string }) => i.id);
    let after = first.next;
    while (after) {
      const page = cliJson(['traces', 'list', '--db', db, '--limit', '5', '--after', after, '--json']);
      seen.push(...page.items.map((i: { id: string }) => i.id));
      after = page.next;
    }
    assert.equal(new Set(seen).size, 12);
    assert.equal(cliJson(['traces', 'list', '--db', db, '--source', 'alpha', '--json']).items.length, 5);
    assert.equal(cliJson(['traces', 'list', '--db', db, '--category', 'odd', '--json']).items.length, 6);
    assert.equal(cliJson(['traces', 'list', '--db', db, '--filter', 'level=0', '--json']).items.length, 4, 'numbers match the number');
    assert.equal(cliJson(['traces', 'list', '--db', db, '--filter', 'level=0', '--filter', 'level=1', '--json']).items.length, 8);
    const sorted = cliJson(['traces', 'list', '--db', db, '--sort', 'id', '--order', 'desc', '--json']).items.map((i: { id: string }) => i.id);
    assert.deepEqual(sorted, [...sorted].sort().reverse());
    const bad = cli(['traces', 'list', '--db', db, '--sort', 'colour']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Unknown sort "colour"/);
  });

  it('traces search, show, score and delete', () => {
    const found = cliJson(['traces', 'search', 'odd-word', '--db', db, '--json']);
    assert.equal(found.items.length, 6);
    const id = found.items[0].id;
    const shown = cliJson(['traces', 'show', id, '--db', db, '--json']);
    assert.equal(shown.id, id);
    assert.equal(shown.record.steps.length, 2);
    const text = cli(['traces', 'show', id, '--db', db]);
    assert.match(text.stdout, /Prompt:\nWhat is 1 \+ 1\?/);
    assert.match(text.stdout, /1\. \[add\] 1 \+ 1 = 2/);
    const scored = cliJson(['traces', 'score', id, '--db', db, '--json']);
    assert.equal(scored.scored, 1);
    // baseline: min(2/10, 1) * 50 = 10 for the steps, plus min(6.5/500, 1) * 50 = 0.65 for their length (9 and 4 chars)
    assert.equal(scored.scores[0].score, 10.65);
    assert.equal(cliJson(['traces', 'score', '--all', '--db', db, '--json']).scored, 12);
    const missing = cli(['traces', 'show', 'no-such-id', '--db', db]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no trace with id "no-such-id"/);
    const del = cli(['traces', 'delete', id, 'no-such-id', '--db', db, '--json']);
    assert.equal(del.code, 1, 'a missing id is reported');
    assert.deepEqual(JSON.parse(del.stdout), { deleted: 1, missing: ['no-such-id'] });
    assert.equal(cliJson(['traces', 'search', 'odd-word', '--db', db, '--json']).items.length, 5);
    const groups = cliJson(['traces', 'groups', '--db', db, '--json']);
    assert.equal(groups.total, 11);
  });

  it('traces --help and traces VERB --help print usage; an unknown verb is exit 2', () => {
    for (const args of [['traces', '--help'], ['traces', 'list', '--help'], ['traces', 'score', '--help'], ['import', '--help']]) {
      const r = cli(args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /Usage: tunix-rt (traces|import)/);
    }
    const r = cli(['traces', 'frob', '--db', db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown verb "frob"/);
  });

  it('a damaged database: exit 2, a clear message, the file untouched; --start-fresh moves it aside', () => {
    const bad = path.join(dir, 'bad', 'tunix.db');
    fs.mkdirSync(path.dirname(bad));
    fs.writeFileSync(bad, 'this is not a database');
    const r = cli(['traces', 'list', '--db', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /damaged or not a database/);
    assert.match(r.stderr, /--start-fresh/);
    assert.equal(fs.readFileSync(bad, 'utf8'), 'this is not a database');
    const fresh = cli(['import', file, '--db', bad, '--start-fresh', '--json']);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.equal(JSON.parse(fresh.stdout).imported, 12);
    assert.match(fresh.stderr, /moved it aside/);
    const aside = fs.readdirSync(path.dirname(bad)).find((f) => f.startsWith('tunix.db.corrupt-'));
    assert.ok(aside);
    assert.equal(fs.readFileSync(path.join(path.dirname(bad), aside), 'utf8'), 'this is not a database');
  });
});
