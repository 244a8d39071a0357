// Plain-text renderings of scorecards, leaderboards and checks, for the CLI and the log.
import type { MatchReport } from './evaluate';
import type { LeaderboardRow } from './leaderboard';
import type { RunComparison } from './runComparison';
import type { ItemOutcome } from './compare';
import { BREAKDOWN_KEYS, type Scorecard } from './scorecard';

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const score = (x: number) => x.toFixed(3);

function table(header: string[], rows: string[][], rightAligned: number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (rightAligned.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatScorecard(sc: Scorecard, match?: MatchReport): string {
  const out: string[] = [];
  out.push(`${sc.judge} on ${sc.n_items} item${sc.n_items === 1 ? '' : 's'} (${sc.n_scored} with a prediction)`);
  const correct = sc.n_correct !== null ? `, ${sc.n_correct} right` : '';
  out.push(`primary score ${score(sc.primary_score)} (${pct(sc.primary_score)}; 95% interval ${score(sc.ci95[0])}-${score(sc.ci95[1])})${correct}`);
  out.push(`stddev ${score(sc.stddev)}, min ${score(sc.min)}, max ${score(sc.max)}`);
  for (const key of BREAKDOWN_KEYS) {
    const groups = sc.breakdowns[key];
    if (!groups) continue;
    out.push('', table([key, 'score', 'items', 'scored'], Object.entries(groups).map(([g, s]) => [g, score(s.primary_score), String(s.n_items), String(s.n_scored)]), [1, 2, 3]));
  }
  if (match && (match.items_without_prediction || match.predictions_without_item)) {
    out.push('');
    if (match.items_without_prediction) {
      out.push(`${match.items_without_prediction} item(s) had no prediction and count as wrong (e.g. ${match.sample_items_without_prediction.join(', ')}).`);
    }
    if (match.predictions_without_item) {
      out.push(`${match.predictions_without_item} prediction(s) matched no item and were ignored (e.g. ${match.sample_predictions_without_item.join(', ')}).`);
    }
  }
  return out.join('\n');
}

export function formatLeaderboard(rows: LeaderboardRow[]): string {
  if (rows.length === 0) return 'No evaluations yet. Evaluate a run with `tunix-rt eval RUN_ID --db PATH`.';
  return table(
    ['#', 'score', 'run', 'dataset', 'model', 'judge', 'items', 'evaluated'],
    rows.map((r) => [
      String(r.rank),
      score(r.primary_score),
      r.run_id ?? '(files)',
      r.dataset_key ?? '-',
      r.model ?? '-',
      r.judge_model ? `${r.judge} (${r.judge_model})` : r.judge,
      `${r.n_scored}/${r.n_items}`,
      r.evaluated_at.slice(0, 16).replace('T', ' '),
    ]),
    [0, 1, 6],
  );
}

const signed = (x: number) => (x > 0 ? '+' : x < 0 ? '-' : '\u00b1') + Math.abs(x).toFixed(3);
const shown = (v: unknown) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : JSON.stringify(v));
const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '\u2026' : s);
/** A prediction on one line, keeping its end (where the answer usually is) when it is long. */
const tail = (s: string, n: number) => {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? '\u2026' + flat.slice(flat.length - n + 1) : flat;
};

/**
 * A run comparison for the terminal: the runs with their scores, each run against the first
 * (delta, fixed, broken, both right, both wrong, McNemar p), the config keys that differ, and
 * the items whose outcome is in `itemOutcomes` (none by default).
 */
export function formatComparison(c: RunComparison, itemOutcomes: readonly ItemOutcome[] = []): string {
  const out: string[] = [];
  out.push(
    table(
      ['', 'run', 'judge', 'score', 'items', 'eval set'],
      c.runs.map((r, i) => [i === 0 ? 'ref' : String(i), r.label, r.judge, score(r.scorecard.primary_score), `${r.scorecard.n_scored}/${r.scorecard.n_items}`, r.itemsSource]),
      [3, 4],
    ),
  );
  out.push(
    '',
    table(
      ['vs ref', 'delta', 'fixed', 'broken', 'both right', 'both wrong', 'missing', 'p (McNemar)'],
      c.items.pairs.map((p) => [String(p.index), signed(p.delta), String(p.fixed), String(p.broken), String(p.both_right), String(p.both_wrong), String(p.missing), p.p_value < 0.001 ? '<0.001' : p.p_value.toFixed(3)]),
      [1, 2, 3, 4, 5, 6, 7],
    ),
  );
  const { differences, same } = c.config;
  out.push('');
  if (differences.length === 0) out.push(`Configs: the same (${same} keys).`);
  else out.push(`Configs: ${differences.length} key${differences.length === 1 ? ' differs' : 's differ'} (${same} the same)`, table(['key', ...c.runs.map((_, i) => (i === 0 ? 'ref' : String(i)))], differences.map((d) => [d.key, ...d.values.map((v) => cut(shown(v), 40))])));
  for (const w of c.items.warnings) out.push('', `Warning: ${w}`);
  if (itemOutcomes.length) {
    const rows = c.items.rows.filter((r) => r.outcomes.some((o) => itemOutcomes.includes(o)));
    out.push('', `Items ${itemOutcomes.join(' or ')} (${rows.length}):`);
    if (rows.length) {
      out.push(
        table(
          ['item', 'expected', ...c.runs.map((_, i) => (i === 0 ? 'ref' : String(i))), 'outcome'],
          rows.map((r) => [
            cut(r.item_id, 24),
            tail(r.expected, 16),
            ...r.cells.map((cell) => (cell ? `${cell.correct ? '\u2713' : '\u2717'} ${cell.predicted === null ? '(none)' : tail(cell.predicted, 20)}` : '-')),
            r.outcomes.join(','),
          ]),
        ),
      );
    }
  }
  return out.join('\n');
}
