// The model registry: a completed run's model registered as a numbered version of a named
// model ("adder" v1, v2, ...). Registering copies the model files (weights, tokenizer, config)
// out of the run folder into `<db folder>/models/<name>/v<version>/`, with a manifest that
// records where they came from (run, dataset, config, final metrics, latest scorecard) and a
// SHA-256 of every file, so a version outlives its run and can be checked for damage.
// Versions are immutable: a new registration is always a new version.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { registerMigrations } from '../store/migrations';
import type { Reader, Store } from '../store/store';
import { assertRealInside } from '../env/confine';
import { confinedJoin } from '../env/paths';
import { getRun, resolveRunId } from '../run/runStore';
import { runFiles, writeJsonAtomic } from '../run/runFolder';
import type { RunRecord } from '../run/types';
import { finalTrainingMetrics, modelLabel } from '../eval/runFacts';
import { latestEvaluationOfRun } from '../eval/store/evaluations';

export const MODELS_DOMAIN = 'models';

registerMigrations(MODELS_DOMAIN, [
  {
    version: 1,
    description: 'model versions: a completed run\'s model files registered under a name and a version number',
    up: `
CREATE TABLE model_versions (
  name TEXT NOT NULL,
  version INTEGER NOT NULL,
  run_id TEXT NOT NULL,
  dataset_key TEXT,
  model TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  judge TEXT,
  primary_score REAL,
  manifest TEXT NOT NULL,
  PRIMARY KEY (name, version)
) WITHOUT ROWID;
CREATE INDEX model_versions_by_run ON model_versions(run_id);
`,
  },
]);

/** The manifest written beside the files (`model_version.json`) and kept in the database. */
export interface ModelVersionManifest {
  name: string;
  version: number;
  description: string;
  created_at: string;
  run_id: string;
  run_name: string;
  dataset_key: string | null;
  recipe: string;
  /** "sft_transformer 2L·64d·4h". */
  model: string;
  backend: string | null;
  seed: number;
  training_config: unknown;
  /** The last value of each training metric (loss, eval_loss, ...). */
  final_metrics: Record<string, number>;
  /** The run's latest evaluation when it has one. */
  evaluation: { id: string; judge: string; primary_score: number; n_items: number; evaluated_at: string } | null;
  /** Every file of the version, relative to its folder, with its size and SHA-256. */
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

export interface ModelVersion {
  name: string;
  version: number;
  runId: string;
  datasetKey: string | null;
  model: string;
  description: string;
  createdAt: string;
  judge: string | null;
  primaryScore: number | null;
  /** The folder holding the files and model_version.json. */
  dir: string;
  manifest: ModelVersionManifest;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a model name: it becomes a folder name. */
export function checkModelName(name: string): string {
  if (!NAME.test(name) || name === '.' || name === '..') {
    throw new UserError(`"${name}" is not a usable model name: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. "adder").`);
  }
  return name;
}

/** `<db folder>/models`: where registered versions keep their files. */
export function modelsRootFor(databasePath: string): string {
  return path.join(path.dirname(path.resolve(databasePath)), 'models');
}

/** `<models root>/<name>/v<version>`, also refused when a link leads it out of the database's folder. */
function versionDir(databasePath: string, name: string, version: number): string {
  const dir = confinedJoin(modelsRootFor(databasePath), path.join(checkModelName(name), `v${version}`));
  assertRealInside(path.dirname(path.resolve(databasePath)), modelsRootFor(databasePath), 'The models folder');
  assertRealInside(modelsRootFor(databasePath), dir, 'The model version folder');
  return dir;
}

interface ModelRow {
  name: string;
  version: number;
  run_id: string;
  dataset_key: string | null;
  model: string;
  description: string;
  created_at: string;
  judge: string | null;
  primary_score: number | null;
  manifest: string;
}

function toVersion(databasePath: string, r: ModelRow): ModelVersion {
  return {
    name: r.name,
    version: r.version,
    runId: r.run_id,
    datasetKey: r.dataset_key,
    model: r.model,
    description: r.description,
    createdAt: r.created_at,
    judge: r.judge,
    primaryScore: r.primary_score,
    dir: versionDir(databasePath, r.name, r.version),
    manifest: JSON.parse(r.manifest) as ModelVersionManifest,
  };
}

/** Every version, by name, newest version first. */
export function listModelVersions(q: Reader, databasePath: string, name?: string): ModelVersion[] {
  const rows = name === undefined
    ? q.all<ModelRow>('SELECT * FROM model_versions ORDER BY name, version DESC')
    : q.all<ModelRow>('SELECT * FROM model_versions WHERE name = ? ORDER BY version DESC', [name]);
  return rows.map((r) => toVersion(databasePath, r));
}

/**
 * Parses "name" (its latest version) or "name@3" / "name@v3"; undefined version = latest.
 */
export function parseModelRef(ref: string): { name: string; version?: number } {
  const m = /^(.+?)(?:@v?(\d+))?$/.exec(ref.trim());
  if (!m) throw new UserError(`"${ref}" is not a model reference; write NAME or NAME@VERSION (e.g. adder@2).`);
  return { name: checkModelName(m[1]), version: m[2] === undefined ? undefined : Number(m[2]) };
}

export function getModelVersion(q: Reader, databasePath: string, ref: string): ModelVersion {
  const { name, version } = parseModelRef(ref);
  const row =
    version === undefined
      ? q.get<ModelRow>('SELECT * FROM model_versions WHERE name = ? ORDER BY version DESC LIMIT 1', [name])
      : q.get<ModelRow>('SELECT * FROM model_versions WHERE name = ? AND version = ?', [name, version]);
  if (!row) {
    const known = q.all<{ version: number }>('SELECT version FROM model_versions WHERE name = ? ORDER BY version', [name]).map((r) => `v${r.version}`);
    throw new UserError(
      known.length ? `Model ${name} has no version ${version} (it has ${known.join(', ')}).` : `No model named "${name}". See \`tunix-rt models list --db PATH\`.`,
    );
  }
  return toVersion(databasePath, row);
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Copies `from` (a folder of regular files, nested folders allowed) to `to`, listing each file. */
function copyFiles(from: string, to: string, rel = ''): ModelVersionManifest['files'] {
  const files: ModelVersionManifest['files'] = [];
  fs.mkdirSync(path.join(to, rel), { recursive: true });
  for (const entry of fs.readdirSync(path.join(from, rel), { withFileTypes: true })) {
    const r = path.join(rel, entry.name);
    if (entry.isDirectory()) files.push(...copyFiles(from, to, r));
    else if (entry.isFile()) {
      fs.copyFileSync(path.join(from, r), path.join(to, r));
      files.push({ path: r.split(path.sep).join('/'), bytes: fs.statSync(path.join(to, r)).size, sha256: sha256(path.join(to, r)) });
    }
    // Links and other special files are not model files: left out on purpose.
  }
  return files;
}

/** Why a run's model cannot be registered, or undefined when it can. */
export function whyNotRegistrable(run: RunRecord): string | undefined {
  if (run.status !== 'completed') return `Run ${run.id} is ${run.status}; only a completed run's model can be registered.`;
  const dir = runFiles(run.runDir).model;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    // missing: explained below
  }
  if (entries.length === 0) {
    return run.recipe === 'external'
      ? `Run ${run.id} has no model files in ${dir}: an external trainer must write its model there (the {output}/model folder) to register it.`
      : `Run ${run.id} has no model files in ${dir}; the trainer writes them when it completes.`;
  }
  return undefined;
}

export interface RegisterOptions {
  databasePath: string;
  /** A run id or a unique prefix. */
  run: string;
  name: string;
  description?: string;
  /** Whose score the version records: the run's latest evaluation by this judge (default: by any judge). */
  judge?: string;
  now?: () => Date;
}

/**
 * Registers the run's model as the next version of `name`. The files are copied first, into
 * a temporary folder renamed into place only once the database holds the version, so a failure
 * on either side leaves neither a row without files nor a stray folder.
 */
export async function registerModel(store: Store, o: RegisterOptions): Promise<ModelVersion> {
  const name = checkModelName(o.name);
  const run = store.read((q) => getRun(q, resolveRunId(q, o.run)))!;
  const why = whyNotRegistrable(run);
  if (why) throw new UserError(why);
  const evaluation = store.read((q) => latestEvaluationOfRun(q, run.id, o.judge));
  if (o.judge && !evaluation) throw new UserError(`Run ${run.id} has no evaluation by ${o.judge}; evaluate it first (tunix-rt eval ${run.id} --judge ${o.judge}), or register without a judge.`);
  const finalMetrics = await finalTrainingMetrics(run.runDir);
  const root = modelsRootFor(o.databasePath);
  // The files come from the run's model folder only: not through a link to somewhere else.
  assertRealInside(run.runDir, runFiles(run.runDir).model, "The run's model folder");
  assertRealInside(path.dirname(path.resolve(o.databasePath)), root, 'The models folder');
  const staging = path.join(root, `.staging-${process.pid}-${Date.now()}`);
  let files: ModelVersionManifest['files'];
  try {
    files = copyFiles(runFiles(run.runDir).model, staging);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new UserError(`Cannot copy the model files of run ${run.id} into ${root}: ${(err as Error).message}.`);
  }
  const createdAt = (o.now ?? (() => new Date()))().toISOString();
  const model = modelLabel(run);
  let registered: ModelVersion | undefined;
  try {
    registered = await store.write((tx) => {
      // Numbered under the write lock, so two registrations never take the same version.
      const version = (tx.get<{ v: number | null }>('SELECT max(version) AS v FROM model_versions WHERE name = ?', [name])?.v ?? 0) + 1;
      const manifest: ModelVersionManifest = {
        name,
        version,
        description: o.description ?? '',
        created_at: createdAt,
        run_id: run.id,
        run_name: run.name,
        dataset_key: run.datasetKey ?? null,
        recipe: run.recipe,
        model,
        backend: run.environment?.backend ?? null,
        seed: run.seed,
        training_config: run.config,
        final_metrics: finalMetrics,
        evaluation: evaluation
          ? { id: evaluation.id, judge: evaluation.judge, primary_score: evaluation.scorecard.primary_score, n_items: evaluation.scorecard.n_items, evaluated_at: evaluation.createdAt }
          : null,
        files,
      };
      const dir = versionDir(o.databasePath, name, version);
      if (fs.existsSync(dir)) throw new UserError(`${dir} already exists but the database has no ${name} v${version}; move that folder aside and register again.`);
      writeJsonAtomic(path.join(staging, 'model_version.json'), manifest);
      tx.run(
        'INSERT INTO model_versions (name, version, run_id, dataset_key, model, description, created_at, judge, primary_score, manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [name, version, run.id, manifest.dataset_key, model, manifest.description, createdAt, evaluation?.judge ?? null, evaluation?.scorecard.primary_score ?? null, JSON.stringify(manifest)],
      );
      // Inside the transaction: if the rename fails, the row is rolled back with it.
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.renameSync(staging, dir);
      return { name, version, runId: run.id, datasetKey: manifest.dataset_key, model, description: manifest.description, createdAt, judge: evaluation?.judge ?? null, primaryScore: evaluation?.scorecard.primary_score ?? null, dir, manifest };
    });
  } finally {
    if (!registered) fs.rmSync(staging, { recursive: true, force: true });
  }
  return registered;
}

/** Checks a version's files against the SHA-256 sums of its manifest; the list of problems (empty: intact). */
export function verifyModelVersion(v: ModelVersion): string[] {
  const problems: string[] = [];
  for (const f of v.manifest.files) {
    const file = confinedJoin(v.dir, f.path);
    if (!fs.existsSync(file)) problems.push(`${f.path} is missing`);
    else if (sha256(file) !== f.sha256) problems.push(`${f.path} does not match its SHA-256 (changed or damaged)`);
  }
  return problems;
}

/** Removes a version: its row, then its folder. */
export async function deleteModelVersion(store: Store, databasePath: string, ref: string): Promise<ModelVersion> {
  const v = store.read((q) => getModelVersion(q, databasePath, ref));
  if (parseModelRef(ref).version === undefined) throw new UserError(`Say which version of ${v.name} to delete (e.g. ${v.name}@${v.version}); versions are never deleted by name alone.`);
  await store.write((tx) => {
    tx.run('DELETE FROM model_versions WHERE name = ? AND version = ?', [v.name, v.version]);
  });
  fs.rmSync(v.dir, { recursive: true, force: true });
  return v;
}
