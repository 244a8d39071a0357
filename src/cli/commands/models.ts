// `tunix-rt models register|list|show|verify|delete`: the model registry. A completed run's model
// becomes a numbered version of a named model, with its files copied out of the run folder.
import type { CliCommand } from '../command';
import { EXIT, parse, printJson, required } from '../command';
import { UserError } from '../../core/errors';
import { DB_OPTIONS, openCliStore } from '../database';
import { chooseVerb, commandHelp, verbHelp, type VerbSpec } from '../verbs';
import type { ModelVersion } from '../../core/registry/modelRegistry';

const VERBS = {
  register: {
    usage: 'tunix-rt models register RUN_ID --name NAME [--description TEXT] [--judge NAME] [--json]',
    summary: "register a completed run's model as the next version of NAME",
    details: `  RUN_ID           a completed run (its id or a unique prefix)
  --name NAME      the model's name (letters, digits, ".", "_", "-"); versions count from 1
  --description T  a note kept with the version
  --judge NAME     record the run's latest score by this judge (default: its latest evaluation)
  --json           print the version: {name, version, run_id, dir, primary_score, judge, manifest}`,
  },
  list: {
    usage: 'tunix-rt models list [NAME] [--json]',
    summary: 'list model versions (of NAME only, when given), newest version first',
    details: `  --json           print an array of {name, version, run_id, dataset_key, model, primary_score, judge, created_at, dir}`,
  },
  show: {
    usage: 'tunix-rt models show NAME[@VERSION] [--json]',
    summary: 'one version (the latest when no version is given): its origin, metrics, score and files',
    details: `  --json           print the version with its manifest`,
  },
  verify: {
    usage: 'tunix-rt models verify NAME[@VERSION] [--json]',
    summary: "check a version's files against the SHA-256 sums recorded when it was registered (exit 1 when damaged)",
    details: `  --json           print {name, version, ok, problems}`,
  },
  delete: {
    usage: 'tunix-rt models delete NAME@VERSION [--json]',
    summary: 'delete one version: its record and its files (the run is not touched)',
    details: `  --json           print {deleted: "NAME@VERSION"}`,
  },
} as const satisfies Record<string, VerbSpec>;

const HELP = commandHelp(
  'models',
  `The model registry (tunix-rt models <verb> --help for each verb): a completed run's model
(weights, tokenizer, config) registered as a numbered version of a named model. Its files are
copied to models/<name>/v<version>/ next to the database, with model_version.json (run,
dataset, training config, final metrics, latest scorecard, SHA-256 of every file), so a
version outlives its run.`,
  VERBS,
);

function json(v: ModelVersion) {
  return { name: v.name, version: v.version, run_id: v.runId, dataset_key: v.datasetKey, model: v.model, description: v.description, primary_score: v.primaryScore, judge: v.judge, created_at: v.createdAt, dir: v.dir };
}

const score = (v: ModelVersion) => (v.primaryScore === null ? 'not evaluated' : `${v.primaryScore.toFixed(3)} (${v.judge})`);

function table(versions: ModelVersion[]): string {
  if (!versions.length) return 'No models registered. Register a completed run with `tunix-rt models register RUN_ID --name NAME`.';
  const rows = versions.map((v) => [`${v.name}@${v.version}`, v.model, v.datasetKey ?? '-', score(v), v.runId, v.createdAt.replace('T', ' ').slice(0, 16)]);
  const head = ['MODEL', 'ARCHITECTURE', 'DATASET', 'SCORE', 'RUN', 'REGISTERED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function details(v: ModelVersion): string {
  const m = v.manifest;
  const metrics = Object.entries(m.final_metrics)
    .filter(([k]) => ['loss', 'eval_loss', 'learning_rate'].includes(k))
    .map(([k, x]) => `${k} ${Number(x.toPrecision(4))}`)
    .join(', ');
  return [
    `${v.name}@${v.version}${v.description ? ` · ${v.description}` : ''}`,
    `  model      ${v.model} (${m.recipe}, seed ${m.seed}${m.backend ? `, trained on ${m.backend}` : ''})`,
    `  from run   ${v.runId} (${m.run_name}) on dataset ${v.datasetKey ?? '-'}`,
    `  score      ${score(v)}${m.evaluation ? ` on ${m.evaluation.n_items} items, evaluation ${m.evaluation.id}` : ''}`,
    `  metrics    ${metrics || '-'}`,
    `  files      ${v.dir}`,
    ...m.files.map((f) => `             ${f.path} (${f.bytes.toLocaleString('en-US')} bytes, sha256 ${f.sha256.slice(0, 12)}…)`),
    `  registered ${v.createdAt}`,
  ].join('\n');
}

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'Register completed runs as model versions; list, show, verify and delete them',
  help: HELP,
  async run(argv, io) {
    const verb = chooseVerb('models', VERBS, argv);
    if (!verb) return io.out(HELP + '\n'), argv.length ? EXIT.ok : EXIT.usage;
    const rest = argv.slice(1);
    const { values, positionals } = parse(`models ${verb}`, rest, { ...DB_OPTIONS, json: { type: 'boolean' }, name: { type: 'string' }, description: { type: 'string' }, judge: { type: 'string' } });
    if (values.help) return io.out(verbHelp(VERBS[verb]) + '\n'), EXIT.ok;
    const one = () => {
      if (positionals.length !== 1) throw new UserError(`models ${verb} takes one argument: ${VERBS[verb].usage}.`);
      return positionals[0];
    };
    if (verb !== 'list') one();
    else if (positionals.length > 1) throw new UserError(`models list takes at most one name, got ${positionals.length}.`);
    const registry = await import('../../core/registry/modelRegistry');
    const store = await openCliStore(values, io, `models ${verb}`);
    try {
      switch (verb) {
        case 'register': {
          const v = await registry.registerModel(store, { databasePath: store.path, run: one(), name: required('models register', values, 'name'), description: values.description, judge: values.judge });
          if (values.json) printJson(io, { ...json(v), manifest: v.manifest });
          else io.out(`Registered ${v.name}@${v.version} from run ${v.runId}: ${score(v)}. Files in ${v.dir}\n`);
          return EXIT.ok;
        }
        case 'list': {
          const versions = store.read((q) => registry.listModelVersions(q, store.path, positionals[0]));
          if (values.json) printJson(io, versions.map(json));
          else io.out(table(versions) + '\n');
          return EXIT.ok;
        }
        case 'show': {
          const v = store.read((q) => registry.getModelVersion(q, store.path, one()));
          if (values.json) printJson(io, { ...json(v), manifest: v.manifest });
          else io.out(details(v) + '\n');
          return EXIT.ok;
        }
        case 'verify': {
          const v = store.read((q) => registry.getModelVersion(q, store.path, one()));
          const problems = registry.verifyModelVersion(v);
          if (values.json) printJson(io, { name: v.name, version: v.version, ok: problems.length === 0, problems });
          else io.out(problems.length ? `${v.name}@${v.version} is damaged:\n${problems.map((p) => `  ${p}`).join('\n')}\n` : `${v.name}@${v.version}: all ${v.manifest.files.length} files match their SHA-256.\n`);
          return problems.length ? EXIT.problems : EXIT.ok;
        }
        case 'delete': {
          const v = await registry.deleteModelVersion(store, store.path, one());
          if (values.json) printJson(io, { deleted: `${v.name}@${v.version}` });
          else io.out(`Deleted ${v.name}@${v.version} and its files (${v.dir}).\n`);
          return EXIT.ok;
        }
      }
    } finally {
      await store.close();
    }
  },
};
