// `tunix-rt traces list|search|show|delete|score|groups`: browse and change the trace database.
import type { CliCommand, Io } from '../command';
import { EXIT, intFlag, parse, printJson } from '../command';
import { UserError } from '../../core/errors';
import { DB_OPTIONS, openCliStore } from '../database';
import { chooseVerb, commandHelp, verbHelp, type VerbSpec } from '../verbs';
import type { MetaFilter, TraceQuery, TraceSort, StoredTrace, TracePage } from '../../core/store/traces';

/** Parses repeated `--filter key=value`: the same key repeated means any of the values. */
export function parseFilters(raw: readonly string[] | undefined): MetaFilter[] {
  const byKey = new Map<string, Array<string | number | boolean | null>>();
  for (const f of raw ?? []) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new UserError(`--filter needs KEY=VALUE (a meta key and the value to match), got "${f}".`);
    const key = f.slice(0, eq);
    const value = f.slice(eq + 1);
    const values = byKey.get(key) ?? [];
    // Values come as text; also match the number, boolean or null the text spells.
    values.push(value);
    if (value !== '' && Number.isFinite(Number(value))) values.push(Number(value));
    if (value === 'true' || value === 'false') values.push(value === 'true');
    if (value === 'null') values.push(null);
    byKey.set(key, values);
  }
  return [...byKey].map(([key, values]) => ({ key, values }));
}

const QUERY_OPTIONS = {
  ...DB_OPTIONS,
  json: { type: 'boolean' },
  limit: { type: 'string' },
  after: { type: 'string' },
  source: { type: 'string' },
  category: { type: 'string' },
  filter: { type: 'string', multiple: true },
  sort: { type: 'string' },
  order: { type: 'string' },
} as const;

const QUERY_HELP = `  --limit N          traces per page, 1-1000 (default 50)
  --after CURSOR     the next page: the cursor the previous page printed
  --source S         only traces whose source (meta.source, else meta.dataset) is S ('' = none)
  --category C       only traces of category C ('' = none)
  --filter KEY=VALUE only traces whose meta KEY equals VALUE; repeat for more (same key: any of)
  --sort FIELD       imported (default), id, source, category or steps
  --order asc|desc   default asc
  --json             print {items, next} as JSON`;

const VERBS: Record<string, VerbSpec> = {
  list: { usage: 'tunix-rt traces list [options]', summary: 'list traces, a page at a time', details: QUERY_HELP },
  search: { usage: 'tunix-rt traces search WORDS... [options]', summary: 'find traces whose prompt, steps or answer hold all the words (word* = prefix)', details: QUERY_HELP },
  show: { usage: 'tunix-rt traces show ID [--json]', summary: 'print one trace with its scores', details: '  --json             print the stored trace as JSON' },
  delete: { usage: 'tunix-rt traces delete ID... [--json]', summary: 'delete traces (and their scores)', details: '  --json             print {deleted, missing} as JSON' },
  score: {
    usage: 'tunix-rt traces score ID...|--all [--json]',
    summary: 'compute and store the tunix-rt baseline score',
    details: '  --all              score every trace\n  --json             print {scored, missing, scores} as JSON',
  },
  groups: { usage: 'tunix-rt traces groups [--json]', summary: 'count traces by source and category', details: '  --json             print {total, sources: [{source, count, categories}]} as JSON' },
};

const EXIT_CODES = 'Exit codes: 0 done, 1 some id was not found, 2 could not run.';

const HELP = commandHelp('traces', 'Browse and change the trace database (tunix-rt traces <verb> --help for each verb).', VERBS);

function queryFrom(values: Record<string, unknown>, text?: string): TraceQuery {
  const q: TraceQuery = { limit: intFlag('limit', values.limit, 50, 1) };
  if (text !== undefined) q.text = text;
  if (typeof values.after === 'string') q.after = values.after;
  if (typeof values.source === 'string') q.source = values.source;
  if (typeof values.category === 'string') q.category = values.category;
  const filters = parseFilters(values.filter as string[] | undefined);
  if (filters.length) q.filters = filters;
  if (typeof values.sort === 'string') q.sort = values.sort as TraceSort;
  if (typeof values.order === 'string') q.order = values.order as 'asc' | 'desc';
  return q;
}

function printPage(io: Io, page: TracePage, json: boolean): void {
  if (json) return printJson(io, { items: page.items, next: page.next ?? null });
  if (page.items.length === 0) io.out('No traces.\n');
  for (const t of page.items) {
    const group = [t.source || '(no source)', t.category || '(no category)'].join('/');
    const score = t.score === null ? '' : ` score ${t.score}`;
    io.out(`${t.id}  ${group}  ${t.stepCount} steps${score}  ${t.promptPreview.slice(0, 80)}\n`);
  }
  if (page.next) io.out(`More: --after ${page.next}\n`);
}

function printTrace(io: Io, t: StoredTrace): void {
  const r = t.record;
  io.out(`id:        ${t.id}\nsource:    ${t.source || '(none)'}\ncategory:  ${t.category || '(none)'}\nversion:   ${r.trace_version}\nimported:  ${t.importedAt}${t.origin ? ` from ${t.origin}` : ''}\n\n`);
  io.out(`Prompt:\n${r.prompt}\n\nSteps:\n`);
  r.steps.forEach((s, k) => io.out(`${k + 1}. [${s.type}] ${s.content}\n`));
  io.out(`\nFinal answer:\n${r.final_answer}\n`);
  if (r.meta) io.out(`\nMeta: ${JSON.stringify(r.meta)}\n`);
  for (const s of t.scores) io.out(`\nScore (${s.criteria}): ${s.score}${s.details ? ` ${JSON.stringify(s.details)}` : ''}\n`);
}

export const tracesCommand: CliCommand = {
  name: 'traces',
  summary: 'List, search, show, delete and score the traces in the database',
  help: HELP,
  async run(argv, io) {
    const verb = chooseVerb('traces', VERBS, argv);
    if (!verb) {
      if (argv.length) return io.out(this.help + '\n'), EXIT.ok;
      throw new UserError(`Give a verb: ${Object.keys(VERBS).join(', ')}. Run \`tunix-rt traces --help\` for usage.`);
    }
    const rest = argv.slice(1);
    const name = `traces ${verb}`;
    const traces = () => import('../../core/store/traces');

    if (verb === 'list' || verb === 'search') {
      const { values, positionals } = parse(name, rest, QUERY_OPTIONS, verb === 'search');
      if (values.help) return io.out(verbHelp(VERBS[verb], EXIT_CODES) + '\n'), EXIT.ok;
      if (verb === 'search' && positionals.length === 0) throw new UserError('Give the words to search for, e.g. `tunix-rt traces search carry digit`.');
      const query = queryFrom(values, verb === 'search' ? positionals.join(' ') : undefined);
      const store = await openCliStore(values, io, name);
      try {
        printPage(io, (await traces()).queryTraces(store, query), !!values.json);
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }

    if (verb === 'groups') {
      const { values } = parse(name, rest, { ...DB_OPTIONS, json: { type: 'boolean' } }, false);
      if (values.help) return io.out(verbHelp(VERBS[verb], EXIT_CODES) + '\n'), EXIT.ok;
      const store = await openCliStore(values, io, name);
      try {
        const g = (await traces()).traceGroups(store);
        if (values.json) printJson(io, g);
        else {
          io.out(`${g.total} traces\n`);
          for (const s of g.sources) {
            io.out(`${s.source || '(no source)'}  ${s.count}\n`);
            for (const c of s.categories) io.out(`  ${c.category || '(no category)'}  ${c.count}\n`);
          }
        }
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }

    if (verb === 'show') {
      const { values, positionals } = parse(name, rest, { ...DB_OPTIONS, json: { type: 'boolean' } });
      if (values.help) return io.out(verbHelp(VERBS[verb], EXIT_CODES) + '\n'), EXIT.ok;
      if (positionals.length !== 1) throw new UserError('Give exactly one trace id, e.g. `tunix-rt traces show tr-1a2b...`.');
      const store = await openCliStore(values, io, name);
      try {
        const t = (await traces()).getTrace(store, positionals[0]);
        if (!t) {
          io.err(`tunix-rt traces show: no trace with id "${positionals[0]}" in ${store.path}.\n`);
          return EXIT.problems;
        }
        if (values.json) printJson(io, t);
        else printTrace(io, t);
      } finally {
        await store.close();
      }
      return EXIT.ok;
    }

    if (verb === 'delete') {
      const { values, positionals } = parse(name, rest, { ...DB_OPTIONS, json: { type: 'boolean' } });
      if (values.help) return io.out(verbHelp(VERBS[verb], EXIT_CODES) + '\n'), EXIT.ok;
      if (positionals.length === 0) throw new UserError('Give the ids of the traces to delete.');
      const store = await openCliStore(values, io, name);
      try {
        const t = await traces();
        const existing = new Set(t.getTraces(store, positionals).map((x) => x.id));
        const missing = positionals.filter((id) => !existing.has(id));
        const deleted = await t.deleteTraces(store, [...existing]);
        if (values.json) printJson(io, { deleted, missing });
        else {
          io.out(`Deleted ${deleted} trace(s).\n`);
          if (missing.length) io.err(`Not found: ${missing.join(', ')}\n`);
        }
        return missing.length ? EXIT.problems : EXIT.ok;
      } finally {
        await store.close();
      }
    }

    // score
    const { values, positionals } = parse(name, rest, { ...DB_OPTIONS, json: { type: 'boolean' }, all: { type: 'boolean' } });
    if (values.help) return io.out(verbHelp(VERBS[verb], EXIT_CODES) + '\n'), EXIT.ok;
    if (!values.all && positionals.length === 0) throw new UserError('Give the ids of the traces to score, or --all.');
    if (values.all && positionals.length) throw new UserError('Give either ids or --all, not both.');
    const store = await openCliStore(values, io, name);
    try {
      const t = await traces();
      const r = await t.scoreTraces(store, values.all ? 'all' : positionals);
      const shown = values.all ? [] : t.getTraces(store, positionals).map((x) => ({ id: x.id, ...x.scores.find((s) => s.criteria === 'baseline') }));
      if (values.json) printJson(io, { scored: r.scored, missing: r.missing, scores: shown.map((s) => ({ id: s.id, score: s.score, details: s.details })) });
      else {
        io.out(`Scored ${r.scored} trace(s) (baseline).\n`);
        for (const s of shown) io.out(`${s.id}  ${s.score}\n`);
        if (r.missing.length) io.err(`Not found: ${r.missing.join(', ')}\n`);
      }
      return r.missing.length ? EXIT.problems : EXIT.ok;
    } finally {
      await store.close();
    }
  },
};

