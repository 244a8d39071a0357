// Plain-text renderings of scorecards, leaderboards and checks, for the CLI and the log.
import type { MatchReport } from './evaluate';
import type { LeaderboardRow } from './leaderboard';
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
