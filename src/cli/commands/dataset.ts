// `tunix-rt dataset build|export|list|show|delete`: versioned datasets built from the trace
// database, with deterministic splits and tunix-rt's export formats.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand, Io } from '../command';
import { EXIT, intFlag, parse, printJson, required } from '../command';
import { UserError } from '../../core/errors';
import { DEFAULT_DATABASE_RELATIVE } from '../../core/env/paths';
import type { Store } from '../../core/store';
import { buildDataset, type BuildProgress } from '../../core/dataset/build';
import { DEDUP_MODES, type DedupMode } from '../../core/dataset/dedup';
import { exportDataset } from '../../core/dataset/export';
import { EXPORT_FORMATS, EXPORT_FORMAT_SUMMARIES, parseExportFormat } from '../../core/dataset/formats';
import { manifestPath, SELECTION_STRATEGIES, type DatasetManifest, type MetaFilters, type SelectionStrategy } from '../../core/dataset/manifest';
import { deleteDataset, getManifest, listDatasets, missingTraces } from '../../core/dataset/repository';
import { DEFAULT_SPLITS, parseSplits } from '../../core/dataset/splits';
import { DB_HELP as STORE_HELP, DB_OPTIONS, openCliStore } from '../database';

const VERBS = ['build', 'export', 'list', 'show', 'delete'] as const;
type Verb = (typeof VERBS)[number];

const DB_HELP = STORE_HELP.replace(/;\n\s+missing folders are created\)/, ')');

const HELP: Record<Verb, string> = {
  build: `Usage: tunix-rt dataset build --db PATH --name N --version V [--selection latest|random|all] [--seed S]
                              [--limit N] [--filter key=value]... [--query TEXT] [--split train=0.8,val=0.1,test=0.1]
                              [--dedup exact|near|none] [--overwrite] [--json]

Builds dataset N-V (its key) from the traces in the database and writes its manifest to
datasets/<key>/manifest.json beside the database. A built dataset never changes; building
the same name and version again is refused unless --overwrite is given.

Options:
${DB_HELP}
  --name N           dataset name (letters, digits, . _ + -; spaces and slashes become _)
  --version V        dataset version, e.g. v1
  --selection S      latest (newest imports first, default), random (needs --seed), all
  --seed S           integer; random selection and the split assignment follow from it (default 0)
  --limit N          at most N traces (not with --selection all)
  --filter K=V       only traces whose meta K equals V; repeat a key for "one of"
                     (--filter K=a --filter K=b); numbers, true/false and null also match
                     their typed values ("7" matches 7; null matches a missing key)
  --query TEXT       only traces whose prompt, steps or answer contain every word of TEXT
  --split SPEC       split names and ratios summing to 1 (default ${DEFAULT_SPLITS});
                     a trace's split follows from a hash of (seed, trace id), so it never
                     changes when traces are added to a later build
  --dedup MODE       exact (same prompt, steps and answer; default), near (also the same prompt
                     up to case, spaces and punctuation) or none
  --overwrite        replace an existing dataset of the same name and version
  --json             print {dataset_key, build_id, trace_count, manifest_path, splits, dedup_dropped, replaced}
  -h, --help         show this help`,
  export: `Usage: tunix-rt dataset export KEY --db PATH --format FORMAT [--split NAME] --out FILE [--json]

Writes the traces of dataset KEY (or of one split) to FILE, one JSON object per line, in
manifest order. The file appears only once complete. Traces deleted from the database since
the build are skipped and listed (exit 1).

Formats:
${EXPORT_FORMATS.map((f) => `  ${f.padEnd(17)}${EXPORT_FORMAT_SUMMARIES[f]}`).join('\n')}

Options:
${DB_HELP}
  --format FORMAT    one of the formats above
  --split NAME       only this split (e.g. train, val, test)
  --out FILE         where to write
  --json             print {dataset_key, format, split, out, written, bytes, total, missing, changed}
  -h, --help         show this help`,
  list: `Usage: tunix-rt dataset list --db PATH [--json]

Lists the datasets in the database, newest first, with their trace counts per split.

Options:
${DB_HELP}
  --json             print an array of {dataset_key, dataset_name, dataset_version, build_id, created_at, trace_count, splits, selection_strategy, seed}
  -h, --help         show this help`,
  show: `Usage: tunix-rt dataset show KEY --db PATH [--json] [--full]

Shows a dataset's manifest: how it was built, its splits and statistics, and whether
traces it holds were deleted from the database since.

Options:
${DB_HELP}
  --json             print the manifest (without its id lists unless --full) plus manifest_path, missing and changed
  --full             with --json: include trace_ids, the split id lists and the dropped duplicates
  -h, --help         show this help`,
  delete: `Usage: tunix-rt dataset delete KEY --db PATH [--json]

Deletes a dataset and its manifest.json. The traces stay in the database.

Options:
${DB_HELP}
  --json             print {deleted, manifest_removed}
  -h, --help         show this help`,
};

const OVERVIEW = `Usage: tunix-rt dataset <build|export|list|show|delete> [options]

Versioned datasets from the trace database: selection, dedup, deterministic splits, a
manifest, and exports in tunix-rt's formats (trace, tunix_sft, training_example) plus chat
messages and eval items.

Verbs:
  build    build a dataset (name + version) from the traces
  export   write a dataset or one split as JSONL in a training format
  list     list the datasets
  show     show a dataset's manifest and statistics
  delete   delete a dataset (not its traces)

Run \`tunix-rt dataset <verb> --help\` for each verb's options.`;

function dbPath(values: Record<string, unknown>): string {
  return path.resolve(typeof values.db === 'string' && values.db ? values.db : DEFAULT_DATABASE_RELATIVE);
}

/** Opens the database named by --db (never creating one: a dataset needs imported traces). */
async function withStore<T>(values: Record<string, unknown>, io: Io, purpose: string, fn: (store: Store) => Promise<T>): Promise<T> {
  const db = dbPath(values);
  if (!fs.existsSync(db)) throw new UserError(`No database at ${db}. Import traces first (tunix-rt import FILE --db ${db}), or point --db at your database.`);
  const store = await openCliStore(values as { db?: string }, io, purpose);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Parses repeated --filter key=value into {key: value | [values]}. */
export function parseFilters(items: readonly string[]): MetaFilters {
  const out: Record<string, string[]> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    if (at <= 0) throw new UserError(`--filter "${item}" is not KEY=VALUE (e.g. --filter task_type=addition).`);
    const key = item.slice(0, at).trim();
    const value = item.slice(at + 1);
    (out[key] ??= []).includes(value) || out[key].push(value);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
}

/** A progress line on stderr, redrawn in place; only on a terminal. */
function progressLine(io: Io): { update(text: string): void; done(): void } {
  let shown = false;
  let last = 0;
  return {
    update(text) {
      if (!io.interactive) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      io.err(`\r\x1b[K${text}`);
      shown = true;
    },
    done() {
      if (shown) io.err('\r\x1b[K');
    },
  };
}

function describeBuildProgress(p: BuildProgress): string {
  return p.phase === 'writing' ? `writing ${p.done} traces…` : `${p.phase} ${p.done}${p.total ? `/${p.total}` : ''} traces…`;
}

function briefManifest(m: DatasetManifest): Record<string, unknown> {
  const { trace_ids: _ids, splits, dedup, ...rest } = m;
  const { trace_ids: _splitIds, ...splitInfo } = splits;
  const { dropped: _dropped, ...dedupInfo } = dedup;
  return { ...rest, splits: splitInfo, dedup: dedupInfo };
}

async function runBuild(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    'dataset build',
    argv,
    {
      ...DB_OPTIONS,
      name: { type: 'string' },
      version: { type: 'string' },
      selection: { type: 'string' },
      seed: { type: 'string' },
      limit: { type: 'string' },
      filter: { type: 'string', multiple: true },
      query: { type: 'string' },
      split: { type: 'string' },
      dedup: { type: 'string' },
      overwrite: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    false,
  );
  if (values.help) return io.out(HELP.build + '\n'), EXIT.ok;
  const name = required('dataset build', values, 'name');
  const version = required('dataset build', values, 'version');
  const selection = (values.selection ?? 'latest') as SelectionStrategy;
  if (!SELECTION_STRATEGIES.includes(selection)) throw new UserError(`--selection must be one of ${SELECTION_STRATEGIES.join(', ')}, got "${values.selection}".`);
  const dedup = (values.dedup ?? 'exact') as DedupMode;
  if (!DEDUP_MODES.includes(dedup)) throw new UserError(`--dedup must be one of ${DEDUP_MODES.join(', ')}, got "${values.dedup}".`);
  const seed = values.seed === undefined ? undefined : intFlag('seed', values.seed);
  const limit = values.limit === undefined ? undefined : intFlag('limit', values.limit, undefined, 1);
  const splits = parseSplits(values.split ?? DEFAULT_SPLITS);
  const filters = parseFilters(values.filter ?? []);
  const db = dbPath(values);
  const progress = progressLine(io);
  const result = await withStore(values, io, `dataset build ${name}-${version}`, (store) =>
    buildDataset(store, {
      name,
      version,
      databasePath: db,
      selection,
      seed,
      limit,
      filters,
      query: values.query,
      splits,
      dedup,
      overwrite: !!values.overwrite,
      provenance: { built_by: 'tunix-rt dataset build' },
      onProgress: (p) => progress.update(describeBuildProgress(p)),
    }),
  );
  progress.done();
  const m = result.manifest;
  if (values.json) {
    printJson(io, {
      dataset_key: m.dataset_key,
      build_id: m.build_id,
      trace_count: m.trace_count,
      manifest_path: result.manifestPath,
      splits: m.splits.counts,
      dedup_dropped: m.dedup.dropped_count,
      replaced: result.replaced,
    });
  } else {
    const splitText = Object.entries(m.splits.counts).map(([k, n]) => `${k} ${n}`).join(', ');
    io.out(
      `${result.replaced ? 'Rebuilt' : 'Built'} dataset ${m.dataset_key}: ${m.trace_count} traces (${splitText})` +
        `${m.dedup.dropped_count ? `, ${m.dedup.dropped_count} duplicates dropped` : ''}.\nManifest: ${result.manifestPath}\n`,
    );
  }
  return EXIT.ok;
}

async function runExport(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    'dataset export',
    argv,
    { ...DB_OPTIONS, format: { type: 'string' }, split: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
  );
  if (values.help) return io.out(HELP.export + '\n'), EXIT.ok;
  const key = oneKey('export', positionals);
  const format = parseExportFormat(required('dataset export', values, 'format'));
  const out = path.resolve(required('dataset export', values, 'out'));
  const progress = progressLine(io);
  const result = await withStore(values, io, `dataset export ${key}`, (store) =>
    exportDataset(store, { key, format, split: values.split, out, onProgress: (p) => progress.update(`exported ${p.written}/${p.total} traces…`) }),
  );
  progress.done();
  const gone = result.missing.length + result.changed.length;
  if (values.json) printJson(io, result);
  else io.out(`Wrote ${result.written} ${format} lines${result.split ? ` (split ${result.split})` : ''} of ${key} to ${out}\n`);
  if (gone) {
    const list = [...result.missing, ...result.changed];
    io.err(
      `${gone} trace${gone === 1 ? '' : 's'} of ${key} ${gone === 1 ? 'is' : 'are'} no longer in the database as built and ${gone === 1 ? 'was' : 'were'} skipped` +
        ` (${result.missing.length} deleted, ${result.changed.length} replaced by other content): ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}.\n` +
        'Rebuild the dataset under a new version to drop them for good.\n',
    );
    return EXIT.problems;
  }
  return EXIT.ok;
}

function oneKey(verb: string, positionals: string[]): string {
  if (positionals.length !== 1) throw new UserError(`Give one dataset key (see \`tunix-rt dataset list\`), got ${positionals.length ? positionals.join(' ') : 'none'}. Run \`tunix-rt dataset ${verb} --help\` for usage.`);
  return positionals[0];
}

async function runList(argv: string[], io: Io): Promise<number> {
  const { values } = parse('dataset list', argv, { ...DB_OPTIONS, json: { type: 'boolean' } }, false);
  if (values.help) return io.out(HELP.list + '\n'), EXIT.ok;
  const list = await withStore(values, io, 'dataset list', async (store) => listDatasets(store));
  if (values.json) printJson(io, list);
  else if (!list.length) io.out('No datasets yet. Build one with `tunix-rt dataset build --name N --version V`.\n');
  else {
    const width = Math.max(...list.map((d) => d.dataset_key.length));
    for (const d of list) {
      const splits = Object.entries(d.splits).map(([k, n]) => `${k} ${n}`).join(', ');
      io.out(`${d.dataset_key.padEnd(width)}  ${String(d.trace_count).padStart(7)} traces  (${splits})  ${d.created_at}\n`);
    }
  }
  return EXIT.ok;
}

async function runShow(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('dataset show', argv, { ...DB_OPTIONS, json: { type: 'boolean' }, full: { type: 'boolean' } });
  if (values.help) return io.out(HELP.show + '\n'), EXIT.ok;
  const key = oneKey('show', positionals);
  const db = dbPath(values);
  const { manifest, gone } = await withStore(values, io, 'dataset show', async (store) => ({ manifest: getManifest(store, key), gone: missingTraces(store, key) }));
  const file = manifestPath(db, key);
  if (values.json) {
    printJson(io, { ...(values.full ? manifest : briefManifest(manifest)), manifest_path: file, missing: gone.missing, changed: gone.changed });
    return EXIT.ok;
  }
  const s = manifest.stats;
  const lines = [
    `${manifest.dataset_key}  (${manifest.dataset_name} ${manifest.dataset_version})`,
    `  built        ${manifest.created_at}  build ${manifest.build_id}`,
    `  traces       ${manifest.trace_count}`,
    `  splits       ${Object.entries(manifest.splits.counts).map(([k, n]) => `${k} ${n} (target ${(manifest.splits.ratios[k] * 100).toFixed(0)} %)`).join(', ')}; seed ${manifest.splits.seed}`,
    `  selection    ${manifest.selection_strategy}${manifest.seed !== null ? `, seed ${manifest.seed}` : ''}${manifest.limit !== null ? `, limit ${manifest.limit}` : ''}`,
    `  filters      ${Object.keys(manifest.filters).length ? JSON.stringify(manifest.filters) : 'none'}${manifest.query ? `; text "${manifest.query}"` : ''}`,
    `  dedup        ${manifest.dedup.mode}, ${manifest.dedup.dropped_count} dropped`,
    `  steps        avg ${s.avg_step_count.toFixed(2)}, min ${s.min_step_count}, max ${s.max_step_count}`,
    `  characters   avg ${s.avg_total_chars.toFixed(1)} per trace`,
    `  categories   ${Object.entries(s.by_category).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    `  manifest     ${file}`,
  ];
  if (gone.missing.length || gone.changed.length) lines.push(`  warning      ${gone.missing.length} trace(s) deleted and ${gone.changed.length} replaced since the build; exports skip them`);
  io.out(lines.join('\n') + '\n');
  return EXIT.ok;
}

async function runDelete(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse('dataset delete', argv, { ...DB_OPTIONS, json: { type: 'boolean' } });
  if (values.help) return io.out(HELP.delete + '\n'), EXIT.ok;
  const key = oneKey('delete', positionals);
  const db = dbPath(values);
  const r = await withStore(values, io, `dataset delete ${key}`, (store) => deleteDataset(store, db, key));
  if (values.json) printJson(io, { deleted: key, manifest_removed: r.manifestRemoved });
  else io.out(`Deleted dataset ${key}${r.manifestRemoved ? ' and its manifest.json' : ''}. Its traces stay in the database.\n`);
  return EXIT.ok;
}

const RUNNERS: Record<Verb, (argv: string[], io: Io) => Promise<number>> = { build: runBuild, export: runExport, list: runList, show: runShow, delete: runDelete };

export const datasetCommand: CliCommand = {
  name: 'dataset',
  summary: 'Build, export, list, show and delete versioned datasets (splits, dedup, tunix-rt formats)',
  help: OVERVIEW,
  async run(argv, io) {
    const [verb, ...rest] = argv;
    if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
      io.out(this.help + '\n');
      return verb === undefined ? EXIT.usage : EXIT.ok;
    }
    if (!(VERBS as readonly string[]).includes(verb)) throw new UserError(`Unknown verb "${verb}". Verbs: ${VERBS.join(', ')}. Run \`tunix-rt dataset --help\`.`);
    return RUNNERS[verb as Verb](rest, io);
  },
};
