import { useEffect, useState } from 'preact/hooks';
import type { RunComparison } from '../../src/core/eval/runComparison';
import type { RunCompareFromWebview, RunCompareState, RunCompareToWebview } from '../../src/shared/runCompareContract';
import type { Bridge } from '../shared/bridge';
import { ActionIcon } from '../shared/components/ActionIcon';
import { Banner, EmptyState } from '../shared/components/Banner';
import { Section } from '../shared/components/Section';
import '../shared/elements';
import { MetricChart } from './Chart';
import { runColor } from './colors';
import { ItemTable, OUTCOME_LABELS, type ItemFilters } from './ItemTable';
import { RunColumnHeaders } from './RunColumnHeaders';

type Host = Bridge<RunCompareToWebview, RunCompareFromWebview, RunCompareState>;

const score = (x: number) => x.toFixed(3);
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function Delta(props: { value: number; digits?: number; higherIsBetter?: boolean }) {
  const { value } = props;
  if (Math.abs(value) < 1e-12) return <span class="delta zero">±0</span>;
  const good = (props.higherIsBetter ?? true) ? value > 0 : value < 0;
  return (
    <span class={`delta ${good ? 'up' : 'down'}`}>
      {value > 0 ? '▲ +' : '▼ '}
      {value.toFixed(props.digits ?? 3)}
    </span>
  );
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function App(props: { host: Host }) {
  const { host } = props;
  const kept = host.getState() ?? {};
  const [cmp, setCmp] = useState<RunComparison>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [filters, setFilters] = useState<ItemFilters>({ outcome: kept.outcome ?? 'all', against: kept.against ?? 1, category: kept.category ?? '', text: kept.text ?? '' });
  const [metric, setMetric] = useState<string>(kept.metric ?? 'loss');
  const [logScale, setLogScale] = useState(false);

  useEffect(() => {
    const off = host.onMessage((m) => {
      if (m.type === 'show') {
        setCmp(m.comparison);
        setError(undefined);
        setLoading(false);
        host.updateState({ evaluationIds: m.comparison.runs.map((r) => r.evaluationId) });
      } else if (m.type === 'loading') setLoading(true);
      else if (m.type === 'failed') {
        setError(m.message);
        setLoading(false);
      }
    });
    host.ready();
    return off;
  }, [host]);

  useEffect(() => host.updateState({ outcome: filters.outcome, against: filters.against, category: filters.category, text: filters.text, metric }), [filters, metric]);

  if (!cmp) return error ? <Banner kind="error">{error}</Banner> : <EmptyState busy>Comparing runs…</EmptyState>;

  const labels = cmp.runs.map((r) => r.runId ?? r.label);
  const ref = cmp.runs[0];
  const against = Math.min(Math.max(1, filters.against), cmp.runs.length - 1);
  const metricName = cmp.metricNames.includes(metric) ? metric : cmp.metricNames[0];
  const curves = cmp.curves.filter((c) => c.name === metricName);
  const canLog = curves.every((c) => c.y.every((y) => y > 0));
  const breakdownKeys = [...new Set(cmp.runs.flatMap((r) => Object.keys(r.scorecard.breakdowns)))] as Array<'section' | 'category' | 'difficulty'>;

  return (
    <main class="run-compare" aria-busy={loading ? 'true' : undefined}>
      {error && <Banner kind="error">{error}</Banner>}
      {cmp.items.warnings.map((w) => (
        <Banner kind="warning">{w}</Banner>
      ))}
      <header class="page-header">
        <div>
          <h1>Compare runs</h1>
          <div class="muted small">
            {cmp.runs.length} runs · the first is the reference · {cmp.items.rows.length} items
          </div>
        </div>
        <div class="header-actions">
          {loading && <vscode-progress-ring />}
          <vscode-button secondary icon="add" onClick={() => host.post({ type: 'addRun' })}>
            Add Run…
          </vscode-button>
        </div>
      </header>

      <div class="run-cards" role="list">
        {cmp.runs.map((r, i) => {
          const d = cmp.deltas.find((x) => x.index === i);
          const pair = cmp.items.pairs.find((p) => p.index === i);
          return (
            <div class={`card run-card ${i === 0 ? 'reference' : ''}`} role="listitem" style={{ borderTopColor: runColor(i) }}>
              <div class="row">
                <strong class="run-title">
                  {r.runId && r.runExists ? (
                    <button class="link" onClick={() => host.post({ type: 'openRun', runId: r.runId! })} title={`Open run ${r.runId}`}>
                      {r.runName ?? r.runId}
                    </button>
                  ) : (
                    <span title={r.itemsSource}>{r.runName ?? r.label}</span>
                  )}
                </strong>
                <span class="spacer" />
                {i === 0 ? (
                  <span class="chip">reference</span>
                ) : (
                  <ActionIcon icon="arrow-left" label="Make this the reference" onClick={() => host.post({ type: 'setReference', evaluationId: r.evaluationId })} />
                )}
                {r.runId && <ActionIcon icon="pinned" label="Make this run the regression baseline" onClick={() => host.post({ type: 'setBaseline', runId: r.runId!, judge: r.judge })} />}
                {cmp.runs.length > 2 && <ActionIcon icon="close" label="Remove from the comparison" onClick={() => host.post({ type: 'removeRun', evaluationId: r.evaluationId })} />}
              </div>
              {r.runId && <div class="muted small mono run-id">{r.runId}</div>}
              <div class="muted small">{r.model ?? 'external predictions'} · {r.datasetKey ?? r.itemsSource}</div>
              <div class="big-score">
                {score(r.scorecard.primary_score)} {d && <Delta value={d.primary_score} />}
              </div>
              <div class="muted small">
                <code>{r.judge}</code> · {r.scorecard.n_scored}/{r.scorecard.n_items} items · {when(r.evaluatedAt)}
              </div>
              {pair && (
                <div class="pair small">
                  <span class="fixed">{pair.fixed} fixed</span> · <span class="broken">{pair.broken} broken</span> · {pair.both_right} both right · {pair.both_wrong} both wrong
                  {pair.missing ? ` · ${pair.missing} missing` : ''}
                  <div class="muted" title="McNemar's exact test on the items that changed: the chance of at least this imbalance between fixed and broken if the runs were equally good.">
                    {pair.fixed + pair.broken === 0 ? 'no item changed' : `McNemar p = ${pair.p_value < 0.001 ? pair.p_value.toExponential(1) : pair.p_value.toFixed(3)}${pair.p_value < 0.05 ? ' (unlikely to be chance)' : ' (could be chance)'}`}
                  </div>
                </div>
              )}
            </div>
          );
        })}
      </div>

      <Section title="Scorecards">
        <table class="grid" aria-label="Scorecards side by side">
          <thead>
            <tr>
              <th />
              <RunColumnHeaders labels={labels} />
            </tr>
          </thead>
          <tbody>
            <ScoreRow label="Primary score" values={cmp.runs.map((r) => r.scorecard.primary_score)} />
            <ScoreRow label="Right" values={cmp.runs.map((r) => r.scorecard.n_correct ?? Number.NaN)} digits={0} />
            <ScoreRow label="Items with a prediction" values={cmp.runs.map((r) => r.scorecard.n_scored)} digits={0} />
            <ScoreRow label="Std. deviation" values={cmp.runs.map((r) => r.scorecard.stddev)} neutral />
            {breakdownKeys.flatMap((key) => {
              const groups = [...new Set(cmp.runs.flatMap((r) => Object.keys(r.scorecard.breakdowns[key] ?? {})))];
              return groups.map((g) => <ScoreRow label={`${key}: ${g}`} values={cmp.runs.map((r) => r.scorecard.breakdowns[key]?.[g]?.primary_score ?? Number.NaN)} sub />);
            })}
          </tbody>
        </table>
      </Section>

      <Section title="Training curves">
        {cmp.metricNames.length === 0 ? (
          <p class="muted">These runs have no training metrics (evaluations of prediction files, or runs whose folders are gone).</p>
        ) : (
          <>
            <div class="row chart-controls">
              <label>
                Metric{' '}
                <select value={metricName} onChange={(e) => setMetric(e.currentTarget.value)}>
                  {cmp.metricNames.map((n) => (
                    <option value={n}>{n}</option>
                  ))}
                </select>
              </label>
              <label class={canLog ? '' : 'muted'}>
                <input type="checkbox" checked={logScale && canLog} disabled={!canLog} onChange={(e) => setLogScale(e.currentTarget.checked)} /> log scale
              </label>
            </div>
            <MetricChart curves={curves} labels={labels} metric={metricName} logScale={logScale && canLog} />
          </>
        )}
      </Section>

      <Section title="Config differences" count={cmp.config.differences.length}>
        {cmp.config.differences.length === 0 ? (
          <p class="muted">The configs are identical{cmp.config.same ? ` (${cmp.config.same} keys)` : ''}.</p>
        ) : (
          <table class="grid" aria-label="Config keys that differ">
            <thead>
              <tr>
                <th>Key</th>
                <RunColumnHeaders labels={labels} />
              </tr>
            </thead>
            <tbody>
              {cmp.config.differences.map((d) => (
                <tr>
                  <td>
                    <code>{d.key}</code>
                  </td>
                  {d.values.map((v, i) => (
                    <td class={`mono ${i > 0 && show(v) !== show(d.values[0]) ? 'changed' : ''}`}>{show(v)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cmp.config.differences.length > 0 && <p class="muted small">{cmp.config.same} identical keys not shown.</p>}
      </Section>

      <Section title="Items" count={cmp.items.rows.length}>
        <p class="muted small">
          Outcomes of {labels.length > 2 ? 'the chosen run' : <code>{labels[1]}</code>} against the reference <code>{ref.runId ?? ref.label}</code>: {Object.entries(OUTCOME_LABELS).map(([, l]) => l.toLowerCase()).join(', ')}.
        </p>
        <ItemTable rows={cmp.items.rows} pairs={cmp.items.pairs} labels={labels} filters={{ ...filters, against }} onFilters={setFilters} onOpenTrace={(itemId) => host.post({ type: 'openTrace', itemId })} />
      </Section>
    </main>
  );
}

function ScoreRow(props: { label: string; values: number[]; digits?: number; neutral?: boolean; sub?: boolean }) {
  const digits = props.digits ?? 3;
  const ref = props.values[0];
  return (
    <tr class={props.sub ? 'sub' : ''}>
      <th scope="row">{props.label}</th>
      {props.values.map((v, i) => (
        <td class="num">
          {Number.isNaN(v) ? <span class="muted">–</span> : v.toFixed(digits)}
          {i > 0 && !Number.isNaN(v) && !Number.isNaN(ref) && !props.neutral && (
            <>
              {' '}
              <Delta value={v - ref} digits={digits} />
            </>
          )}
        </td>
      ))}
    </tr>
  );
}
