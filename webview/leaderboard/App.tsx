import { useEffect, useRef, useState } from 'preact/hooks';
import type { LeaderboardEntry, LeaderboardFilters, LeaderboardFromWebview, LeaderboardState, LeaderboardToWebview, LeaderboardView } from '../../src/shared/leaderboardContract';
import type { Bridge } from '../shared/bridge';
import { ActionIcon } from '../shared/components/ActionIcon';
import { Banner, EmptyState } from '../shared/components/Banner';
import '../shared/elements';

type Host = Bridge<LeaderboardToWebview, LeaderboardFromWebview, LeaderboardState>;

const EMPTY: LeaderboardFilters = { judge: '', dataset: '', since: '', until: '', text: '' };
const score = (x: number) => x.toFixed(3);
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export function App(props: { host: Host }) {
  const { host } = props;
  const [view, setView] = useState<LeaderboardView>();
  const [error, setError] = useState<string>();
  const [filters, setFilters] = useState<LeaderboardFilters>({ ...EMPTY, ...(host.getState()?.filters ?? {}) });
  const [selected, setSelected] = useState<string[]>(host.getState()?.selected ?? []);
  const textTimer = useRef<number | undefined>(undefined);

  useEffect(() => {
    const off = host.onMessage((m) => {
      if (m.type === 'show') {
        setView(m.view);
        setError(undefined);
      } else if (m.type === 'failed') setError(m.message);
    });
    host.ready();
    // The host ranks with the filters the page kept (after a reload, say).
    if (Object.values(filters).some(Boolean)) host.post({ type: 'filter', filters });
    return off;
  }, [host]);

  useEffect(() => host.updateState({ filters, selected }), [filters, selected]);

  const apply = (patch: Partial<LeaderboardFilters>, debounce = false) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    window.clearTimeout(textTimer.current);
    if (debounce) textTimer.current = window.setTimeout(() => host.post({ type: 'filter', filters: next }), 250);
    else host.post({ type: 'filter', filters: next });
  };

  if (!view) return error ? <Banner kind="error">{error}</Banner> : <EmptyState busy>Loading the leaderboard…</EmptyState>;

  const visibleIds = new Set(view.rows.map((r) => r.evaluation_id));
  const picked = selected.filter((id) => visibleIds.has(id));
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const judgesShown = new Set(view.rows.map((r) => r.judge));
  const filtered = Object.values(filters).some(Boolean);
  const best = view.rows.reduce((m, r) => Math.max(m, r.primary_score), 0);

  return (
    <main class="leaderboard">
      {error && <Banner kind="error">{error}</Banner>}
      <header class="page-header">
        <div>
          <h1>Leaderboard</h1>
          <div class="muted small" title={view.databasePath}>
            {view.rows.length} of {view.totalEvaluations} evaluation{view.totalEvaluations === 1 ? '' : 's'} · latest per run, judge and eval set
          </div>
        </div>
        <div class="header-actions">
          <vscode-button icon="diff-multiple" disabled={picked.length < 2} onClick={() => picked.length >= 2 && host.post({ type: 'compare', evaluationIds: orderByRank(view.rows, picked) })}>
            Compare{picked.length ? ` (${picked.length})` : ''}
          </vscode-button>
          <vscode-button secondary icon="beaker" onClick={() => host.post({ type: 'evaluate' })}>
            Evaluate Run…
          </vscode-button>
          <ActionIcon icon="refresh" label="Refresh" onClick={() => host.post({ type: 'refresh' })} />
        </div>
      </header>

      <form class="filters" role="search" aria-label="Filter the leaderboard" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Judge</span>
          <select value={filters.judge} onChange={(e) => apply({ judge: e.currentTarget.value })}>
            <option value="">All judges</option>
            {view.facets.judges.map((j) => (
              <option value={j}>{j}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Dataset</span>
          <select value={filters.dataset} onChange={(e) => apply({ dataset: e.currentTarget.value })}>
            <option value="">All datasets</option>
            {view.facets.datasets.map((d) => (
              <option value={d}>{d}</option>
            ))}
          </select>
        </label>
        <label>
          <span>From</span>
          <input type="date" value={filters.since} onChange={(e) => apply({ since: e.currentTarget.value })} />
        </label>
        <label>
          <span>To</span>
          <input type="date" value={filters.until} onChange={(e) => apply({ until: e.currentTarget.value })} />
        </label>
        <label class="grow">
          <span>Search</span>
          <input type="search" placeholder="run, model, dataset, judge…" value={filters.text} onInput={(e) => apply({ text: e.currentTarget.value }, true)} />
        </label>
        {filtered && (
          <button type="button" class="link clear" onClick={() => apply(EMPTY)}>
            Clear filters
          </button>
        )}
      </form>

      {view.totalEvaluations === 0 ? (
        <EmptyState>
          <p>No evaluations yet.</p>
          <p class="muted">Evaluate a finished training run on its test split, or a predictions file against eval items.</p>
          <vscode-button icon="beaker" onClick={() => host.post({ type: 'evaluate' })}>
            Evaluate Run…
          </vscode-button>
        </EmptyState>
      ) : view.rows.length === 0 ? (
        <EmptyState>No evaluation matches these filters.</EmptyState>
      ) : (
        <>
          {judgesShown.size > 1 && (
            <Banner kind="info">
              These rows were scored by {judgesShown.size} different judges, whose scores do not compare. Pick a judge above to rank like with like.
            </Banner>
          )}
          <div class="table-scroll">
          <table class="board" aria-label="Runs ranked by primary score">
            <thead>
              <tr>
                <th class="pick" aria-label="Select for comparison" />
                <th class="num">#</th>
                <th>Score</th>
                <th>Run</th>
                <th>Dataset</th>
                <th>Recipe / model</th>
                <th>Judge</th>
                <th class="num">Items</th>
                <th>Evaluated</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <Row row={r} best={best} picked={selected.includes(r.evaluation_id)} onToggle={() => toggle(r.evaluation_id)} host={host} />
              ))}
            </tbody>
          </table>
          </div>
          {view.baselines.length > 0 && (
            <p class="muted small baselines-note">
              <span class="codicon codicon-pinned" /> Baselines:{' '}
              {view.baselines.map((b, i) => (
                <span>
                  {i > 0 && '; '}
                  {b.metric}
                  {b.judge ? ` (${b.judge})` : ''} = {+b.value.toFixed(4)} from {b.runId}, {b.direction} is better
                </span>
              ))}
            </p>
          )}
        </>
      )}
    </main>
  );
}

function orderByRank(rows: LeaderboardEntry[], ids: string[]): string[] {
  return rows.filter((r) => ids.includes(r.evaluation_id)).map((r) => r.evaluation_id);
}

function Row(props: { row: LeaderboardEntry; best: number; picked: boolean; onToggle: () => void; host: Host }) {
  const { row: r, host } = props;
  const width = props.best > 0 ? (100 * r.primary_score) / props.best : 0;
  const regressed = r.checks.filter((c) => c.verdict === 'regressed');
  const passed = r.checks.filter((c) => c.verdict === 'pass');
  return (
    <tr class={props.picked ? 'picked' : ''} data-evaluation={r.evaluation_id}>
      <td class="pick">
        <input type="checkbox" checked={props.picked} onChange={props.onToggle} aria-label={`Select ${r.run_id ?? r.items_source} for comparison`} />
      </td>
      <td class="num rank">{r.rank}</td>
      <td class="score">
        <div class="score-value" title={r.ci95 ? `95% interval ${score(r.ci95[0])}–${score(r.ci95[1])}` : undefined}>
          {score(r.primary_score)}
        </div>
        <div class="score-bar" aria-hidden="true">
          <div style={{ width: `${width}%` }} />
        </div>
      </td>
      <td class="run">
        {r.run_id ? (
          <button class="link" title="Open the run" onClick={() => host.post({ type: 'openRun', runId: r.run_id! })}>
            {r.run_name ?? r.run_id}
          </button>
        ) : (
          <span title={r.items_source}>predictions file</span>
        )}
        <div class="muted small mono run-id" title={r.run_id ?? r.evaluation_id}>
          {r.run_id ?? r.evaluation_id.slice(0, 8)}
        </div>
        <div class="badges">
          {r.baselineOf.map((m) => (
            <span class="chip baseline" title={`The regression baseline of ${m} (${r.judge})`}>
              <span class="codicon codicon-pinned" /> baseline
            </span>
          ))}
          {regressed.length > 0 && (
            <span class="chip regressed" title={regressed.map((c) => c.message).join('\n')}>
              <span class="codicon codicon-error" /> regressed
            </span>
          )}
          {regressed.length === 0 && passed.length > 0 && (
            <span class="chip passed" title={passed.map((c) => c.message).join('\n')}>
              <span class="codicon codicon-pass" /> passes baseline
            </span>
          )}
        </div>
      </td>
      <td class="nowrap">{r.dataset_key ?? <span class="muted">–</span>}</td>
      <td>{r.model ?? <span class="muted">–</span>}</td>
      <td>
        <code>{r.judge}</code>
        {r.judge_model && <div class="muted small">{r.judge_model}</div>}
      </td>
      <td class="num" title={`${r.n_scored} of ${r.n_items} items had a prediction`}>
        {r.n_scored === r.n_items ? r.n_items : `${r.n_scored}/${r.n_items}`}
      </td>
      <td class="small evaluated">{when(r.evaluated_at)}</td>
      <td class="actions">
        {r.run_id && (
          <>
            <ActionIcon icon="pinned" label="Make this run the regression baseline" onClick={() => host.post({ type: 'setBaseline', runId: r.run_id!, judge: r.judge })} />
            <ActionIcon icon="pass" label="Check this run against the baselines" onClick={() => host.post({ type: 'checkBaseline', runId: r.run_id! })} />
          </>
        )}
      </td>
    </tr>
  );
}
