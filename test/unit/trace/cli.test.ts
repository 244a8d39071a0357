import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, repoRoot, tempDir } from '../helpers';
import { line, validRecord } from './corpus';

describe('tunix-rt validate', () => {
  let dir: string;
  let good: string;
  let bad: string;
  before(() => {
    dir = tempDir();
    good = path.join(dir, 'good.trace.jsonl');
    bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(good, [line(1), '', line(2)].join('\n') + '\n');
    fs.writeFileSync(bad, [line(1), '{"trace_version": "1.0", "prompt": 5', line(3, { promt: 'x' }), line(1)].join('\r\n'));
  });

  it('--format json prints every problem with 1-based positions, exit 1 on errors', () => {
    const r = cli(['validate', good, bad, '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const problems = JSON.parse(r.stdout);
    const l2 = '{"trace_version": "1.0", "prompt": 5';
    const l3 = line(3, { promt: 'x' });
    assert.deepEqual(problems, [
      { file: bad, line: 2, column: l2.length + 1, endLine: 2, endColumn: l2.length + 1, code: 'TRC001', severity: 'error', message: problems[0].message },
      { file: bad, line: 3, column: l3.indexOf('"promt"') + 1, endLine: 3, endColumn: l3.indexOf('"promt"') + 8, code: 'TRC101', severity: 'warning', message: problems[1].message },
      { file: bad, line: 4, column: 1, endLine: 4, endColumn: line(1).length + 1, code: 'TRC104', severity: 'warning', message: problems[2].message },
    ]);
    assert.match(problems[0].message, /truncated/);
    assert.match(problems[2].message, /repeats line 1/);
  });

  it('--json is --format json; a clean file gives [] and exit 0', () => {
    const r = cli(['validate', '--json', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  it('warnings alone exit 0', () => {
    const f = path.join(dir, 'warn.jsonl');
    fs.writeFileSync(f, line(1, { final_answer: 'never said' }) + '\n');
    const r = cli(['validate', f, '--format', 'json']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).map((p: { code: string }) => p.code), ['TRC103']);
  });

  it('--format text prints file:line:col: severity code message, and a summary on stderr', () => {
    const r = cli(['validate', bad, '--format', 'text']);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0], new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: error TRC001 Invalid JSON: `));
    assert.match(lines[1], /:3:\d+: warning TRC101 Unknown field "promt"/);
    assert.match(r.stderr, /1 file: 4 records, 3 valid, 1 invalid; 1 error, 2 warnings\./);
    const quiet = cli(['validate', bad, '--quiet']);
    assert.equal(quiet.stdout.trim().split('\n').length, 1);
  });

  it('a single-trace .json file (pretty-printed) is one record', () => {
    const f = path.join(dir, 'one.trace.json');
    fs.writeFileSync(f, JSON.stringify({ ...validRecord(1), steps: [] }, null, 2));
    const r = cli(['validate', f, '--json']);
    assert.equal(r.code, 1);
    const [p] = JSON.parse(r.stdout);
    assert.equal(p.code, 'TRC007');
    const lines = fs.readFileSync(f, 'utf8').split('\n');
    assert.equal(p.line, lines.findIndex((l) => l.includes('"steps"')) + 1);
  });

  it('could not run: missing file, a folder, no file, a bad format: exit 2 with the reason on stderr', () => {
    for (const [args, reason] of [
      [[good, path.join(dir, 'missing.jsonl')], /File not found: .*missing\.jsonl/],
      [[dir], /is a folder/],
      [[], /Give at least one trace file/],
      [[good, '--format', 'xml'], /--format must be "text" or "json", got "xml"/],
      [[good, '--bogus'], /--bogus/],
    ] as const) {
      const r = cli(['validate', ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, reason);
    }
  });

  it('--schema prints the JSON Schema the repository ships', () => {
    const r = cli(['validate', '--schema']);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'trace.schema.json'), 'utf8')));
  });

  it('--help shows the usage', () => {
    const r = cli(['validate', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: tunix-rt validate FILE\.\.\. \[--format text\|json\]/);
  });
});
