// Quick picks of the evaluation commands: a run to evaluate, a judge, evaluated runs to
// compare, a metric for a baseline. Each returns undefined when the user dismissed it.
import * as vscode from 'vscode';
import { UserError } from '../../core/errors';
import type { EvalModules } from './evalCore';
import type { Store } from '../../core/store';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const score = (x: number) => x.toFixed(3);

/** A finished run of the database. */
export async function pickRun(store: Store, m: EvalModules, title: string, filter: (r: { status: string }) => boolean = () => true): Promise<string | undefined> {
  const runs = store.read((q) => m.runs.listRuns(q)).filter(filter);
  if (runs.length === 0) throw new UserError('There are no finished training runs in this workspace yet. Start one with "Tunix: Start Training Run...", or evaluate predictions from files.');
  const pick = await vscode.window.showQuickPick(
    runs.map((r) => ({ label: r.name, description: `${r.status} · ${r.datasetKey}`, detail: `${r.id} · ${when(r.createdAt)}`, id: r.id })),
    { title, placeHolder: 'Pick a run', matchOnDescription: true, matchOnDetail: true },
  );
  return pick?.id;
}

export async function pickJudge(m: EvalModules, title: string, defaultId: string): Promise<string | undefined> {
  const judges = m.judges.listJudges();
  const items = judges.map((j) => ({ label: j.id, description: j.id === defaultId ? '(default)' : '', detail: j.description, id: j.id }));
  items.sort((a, b) => (a.id === defaultId ? -1 : b.id === defaultId ? 1 : 0));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Which judge decides whether an answer is right?' }))?.id;
}

/** Two or more evaluations (latest per run and judge), the first picked becomes the reference. */
export async function pickEvaluations(store: Store, m: EvalModules, title: string, preselected: string[] = []): Promise<string[] | undefined> {
  const rows = store.read((q) => m.leaderboard.leaderboard(q));
  if (rows.length < 2) throw new UserError(`Comparing needs at least two evaluated runs; this database has ${rows.length}. Evaluate runs with "Tunix: Evaluate Run...".`);
  const items = rows.map((r) => ({
    label: r.run_name ?? r.run_id ?? r.items_source,
    description: `${score(r.primary_score)} · ${r.judge}`,
    detail: `${r.run_id ?? 'files'} · ${r.dataset_key ?? r.items_source} · ${r.n_items} items · ${when(r.evaluated_at)}`,
    id: r.evaluation_id,
    picked: preselected.includes(r.evaluation_id),
  }));
  const picks = await vscode.window.showQuickPick(items, { title, placeHolder: 'Tick two or more runs (the best-scoring ticked run is the reference)', canPickMany: true, matchOnDetail: true });
  if (!picks) return undefined;
  if (picks.length < 2) throw new UserError('Tick at least two runs to compare.');
  return picks.map((p) => p.id);
}

export async function pickTolerance(metric: string, prompt?: string): Promise<{ tolerance: number; toleranceKind: 'absolute' | 'relative' } | undefined> {
  const { parseTolerance } = await import('../../core/eval/regression');
  const text = await vscode.window.showInputBox({
    title: `Regression tolerance for ${metric}`,
    prompt: prompt ?? 'How much worse than the baseline still passes: an amount (0.02) or a percentage of the baseline value (5%). 0 = never worse.',
    value: '0',
    validateInput: (v) => {
      try {
        parseTolerance(v);
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  return text === undefined ? undefined : parseTolerance(text);
}
