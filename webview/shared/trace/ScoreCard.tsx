import type { TraceScoreView } from '../../../src/shared/traceDocument';
import '../elements';

const CRITERIA_LABELS: Record<string, string> = {
  baseline: 'Baseline (tunix-rt): step count and average step length',
};

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '').replace(/\.$/, '');
}

/** A trace's score: the number out of its maximum, a bar, the criteria and their details. */
export function ScoreCard(props: { score?: TraceScoreView; onScore?: () => void; disabled?: boolean; compact?: boolean }) {
  const { score } = props;
  if (!score) {
    return (
      <div class="score-card card">
        <div class="row">
          <span class="muted">Not scored yet.</span>
          <span class="spacer" />
          {props.onScore && (
            <vscode-button icon="beaker" secondary disabled={props.disabled} onClick={props.onScore}>
              Score
            </vscode-button>
          )}
        </div>
      </div>
    );
  }
  const max = score.max ?? 100;
  const share = Math.max(0, Math.min(1, score.score / max));
  const details = Object.entries(score.details);
  return (
    <div class="score-card card" data-criteria={score.criteria}>
      <div class="row">
        <span class="score-value" aria-label={`Score ${formatNumber(score.score)} of ${max}`}>
          {formatNumber(score.score)}
          <span class="muted score-max"> / {max}</span>
        </span>
        <span class="spacer" />
        {props.onScore && <vscode-toolbar-button icon="refresh" label="Recompute the score" title="Recompute the score" onClick={() => !props.disabled && props.onScore?.()} />}
      </div>
      <div class="score-bar" role="presentation">
        <div class="score-bar-fill" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <div class="muted small" title={score.criteria}>
        {CRITERIA_LABELS[score.criteria] ?? score.criteria}
        {score.scoredAt && ` · ${new Date(score.scoredAt).toLocaleString()}`}
      </div>
      {!props.compact && details.length > 0 && (
        <table class="kv score-details" aria-label="Score details">
          <tbody>
            {details.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k.replace(/_/g, ' ')}</th>
                <td class="mono">{typeof v === 'number' ? formatNumber(v) : String(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
