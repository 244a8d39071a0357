// Words for runs, shared by the CLI and the VS Code views: "step 120/1000 · loss 0.83 · 3 min left".
import type { RunProgress, RunRecord } from './types';

/** "45 s", "3 min", "1 h 20 min": coarse on purpose (an ETA is an estimate). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** Up to 4 significant digits, no exponent for everyday losses. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(a >= 1000 ? 6 : 3)));
}

export function formatProgress(p: RunProgress | undefined): string {
  if (!p) return '';
  const parts: string[] = [];
  if (p.step !== undefined) parts.push(p.totalSteps ? `step ${p.step}/${p.totalSteps}` : `step ${p.step}`);
  if (p.loss !== undefined) parts.push(`loss ${formatNumber(p.loss)}`);
  if (p.evalLoss !== undefined) parts.push(`eval ${formatNumber(p.evalLoss)}`);
  if (p.etaSeconds !== undefined && p.etaSeconds > 0) parts.push(`${formatDuration(p.etaSeconds)} left`);
  return parts.join(' · ');
}

/** One line describing a run's state for lists and tooltips. */
export function describeRun(r: RunRecord, opts: { queuePosition?: number } = {}): string {
  switch (r.status) {
    case 'queued':
      return opts.queuePosition ? `queued (#${opts.queuePosition})` : 'queued';
    case 'running':
      return formatProgress(r.progress) || 'starting…';
    case 'completed': {
      const p = r.progress;
      const parts = ['completed'];
      if (p?.step !== undefined) parts.push(`${p.step} steps`);
      if (p?.loss !== undefined) parts.push(`loss ${formatNumber(p.loss)}`);
      if (r.startedAt && r.endedAt) parts.push(formatDuration((Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000));
      return parts.join(' · ');
    }
    default:
      return r.outcome?.reason ? `${r.status}: ${r.outcome.reason}` : r.status;
  }
}
