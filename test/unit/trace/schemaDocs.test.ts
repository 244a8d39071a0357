import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { repoRoot } from '../helpers';
import { TRACE_JSON_SCHEMA, describeField, FIELD_DESCRIPTIONS } from '../../../src/core/trace/schema';
import { ALL_CODES, CODES } from '../../../src/core/trace/problems';
import { validateTraceLine } from '../../../src/core/trace/validate';
import { AT_LIMITS, CORPUS } from './corpus';

const schemaFile = path.join(repoRoot, 'schemas', 'trace.schema.json');
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

describe('trace JSON schema', () => {
  it('schemas/trace.schema.json is the schema core builds from the limits', () => {
    assert.deepEqual(JSON.parse(fs.readFileSync(schemaFile, 'utf8')), JSON.parse(JSON.stringify(TRACE_JSON_SCHEMA)), 'regenerate it: node dist/cli.js validate --schema > schemas/trace.schema.json');
  });

  it('is contributed for *.trace.json through jsonValidation, from a file the build ships', () => {
    const entry = pkg.contributes.jsonValidation.find((j: { fileMatch: string[] }) => j.fileMatch.includes('*.trace.json'));
    assert.ok(entry, 'jsonValidation for *.trace.json');
    assert.ok(fs.existsSync(path.join(repoRoot, entry.url)), `${entry.url} exists after the build`);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(repoRoot, entry.url), 'utf8')), JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
  });

  it('ajv with the schema and the validator agree on which records are errors', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
    // What JSON Schema cannot say (unique step indices) or says more strictly (unknown fields
    // are warnings here, "not allowed" there) is left out, and so are indices beyond 2^53,
    // integers to JSON Schema but not storable exactly here; everything else must agree.
    const skip = new Set<string>([CODES.duplicateStepIndex.code, CODES.unknownField.code]);
    for (const c of [...CORPUS, ...AT_LIMITS.map((a) => ({ ...a, code: 'valid' }))]) {
      if (skip.has(c.code) || c.name === 'step index beyond 2^53') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(c.text);
      } catch {
        continue; // invalid JSON: ajv never sees it
      }
      const ours = validateTraceLine(c.text, 1).record !== undefined;
      assert.equal(validate(parsed), ours, `${c.name}: ajv ${JSON.stringify(validate.errors?.[0])}`);
    }
  });

  it('has a description for every field, which hovers show', () => {
    for (const key of ['trace_version', 'prompt', 'final_answer', 'steps', 'meta', 'id']) assert.ok(describeField([key]), key);
    assert.equal(describeField(['steps', 3, 'i']), FIELD_DESCRIPTIONS['steps[].i']);
    assert.match(describeField(['prompt'])!, /50,000/);
    assert.equal(describeField(['nope']), undefined);
  });
});

describe('docs/diagnostics.md', () => {
  const docs = fs.readFileSync(path.join(repoRoot, 'docs', 'diagnostics.md'), 'utf8');

  it('has one section per code, with its title and severity', () => {
    const headings = [...docs.matchAll(/^## (TRC\d{3})$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, ALL_CODES.map((c) => c.code));
    for (const c of ALL_CODES) {
      const section = docs.split(`## ${c.code}\n`)[1].split('\n## ')[0];
      assert.ok(section.includes(`**${c.title}** (${c.severity})`), `${c.code} section starts with "**${c.title}** (${c.severity})"`);
    }
  });

  it('is shipped in dist/ for the Problems panel links', () => {
    assert.equal(fs.readFileSync(path.join(repoRoot, 'dist', 'docs', 'diagnostics.md'), 'utf8'), docs);
  });
});
