// The metrics page: a toolbar (x axis, smoothing, zoom reset), the runs shown (colour, state,
// hide, remove, open log) and one chart per metric group. View settings and which runs are
// shown live in vscode.setState, so the page comes back the same after being hidden.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ChartData, MetricsFromWebview, MetricsRunInfo, MetricsState, MetricsToWebview, XAxisKind, XRange } from '../../src/shared/metricsContract';
import { X_AXIS_KINDS } from '../../src/shared/metricsContract';
import type { Bridge } from '../shared/bridge';
import { Banner, EmptyState } from '../shared/components/Banner';
import '../shared/elements';
import { Chart } from './Chart';
import { runColor } from './colors';
import { X_AXIS_LABELS } from './format';

type Host = Bridge<MetricsToWebview, MetricsFromWebview, MetricsState>;

/** Chart width in pixels -> buckets per series (each bucket sends at most 4 points). */
function bucketsFor(width: number): number {
  return Math.max(200, Math.min(4000, Math.round(width)));
}

export function App(props: { host: Host }) {
  const { host } = props;
  const saved = host.getState() ?? {};
  const [runs, setRuns] = useState<MetricsRunInfo[]>([]);
  const [charts, setCharts] = useState<ChartData[] | undefined>();
  const [error, setError] = useState<string>();
  const [xAxis, setXAxis] = useState<XAxisKind>(saved.xAxis ?? 'step');
  const [smoothing, setSmoothing] = useState<number>(saved.smoothing ?? 0.6);
  const [logScale, setLogScale] = useState<string[]>(saved.logScale ?? []);
  const [hidden, setHidden] = useState<string[]>(saved.hidden ?? []);
  const [range, setRange] = useState<XRange | undefined>(saved.range);
  const [buildMs, setBuildMs] = useState(0);
  const [themeVersion, setThemeVersion] = useState(0);
  const lastSeq = useRef(-1);
  const main = useRef<HTMLElement>(null);
  const width = () => Math.max(300, (main.current?.clientWidth ?? 800) - 40);

  useEffect(() => {
    const off = host.onMessage((m) => {
      if (m.type === 'show') {
        if (m.seq < lastSeq.current) return;
        lastSeq.current = m.seq;
        setRuns(m.runs);
        setCharts(m.charts);
        setBuildMs(m.buildMs);
        setError(undefined);
        host.updateState({ runIds: m.runs.map((r) => r.id) });
      } else if (m.type === 'runs') {
        setRuns(m.runs);
        host.updateState({ runIds: m.runs.map((r) => r.id) });
      } else if (m.type === 'failed') {
        setError(m.message);
      }
    });
    // The view settings go first, so the host's first build already uses them.
    host.post({ type: 'setView', xAxis, smoothing, buckets: bucketsFor(width()), ...(saved.runIds ? { runIds: saved.runIds } : {}) });
    if (saved.range) host.post({ type: 'zoom', range: saved.range });
    host.ready();
    // Theme switches change the CSS variables the charts read their colours from.
    const mo = new MutationObserver(() => setThemeVersion((v) => v + 1));
    mo.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => {
      off();
      mo.disconnect();
    };
  }, [host]);

  // Smoothing moves fast under a dragged slider: send the last value after a short pause.
  const smoothTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const changeView = (next: { xAxis?: XAxisKind; smoothing?: number }) => {
    const x = next.xAxis ?? xAxis;
    const s = next.smoothing ?? smoothing;
    if (next.xAxis !== undefined) setXAxis(x);
    if (next.smoothing !== undefined) setSmoothing(s);
    host.updateState({ xAxis: x, smoothing: s, ...(next.xAxis !== undefined ? { range: undefined } : {}) });
    if (next.xAxis !== undefined) setRange(undefined);
    clearTimeout(smoothTimer.current);
    smoothTimer.current = setTimeout(() => host.post({ type: 'setView', xAxis: x, smoothing: s, buckets: bucketsFor(width()) }), next.smoothing !== undefined ? 120 : 0);
  };

  const zoomTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const zoom = (r: XRange | undefined) => {
    setRange(r);
    host.updateState({ range: r });
    clearTimeout(zoomTimer.current);
    zoomTimer.current = setTimeout(() => host.post({ type: 'zoom', ...(r ? { range: r } : {}) }), 100);
  };

  const colors = useMemo(() => new Map(runs.map((r) => [r.id, runColor(r.colorIndex)])), [runs, themeVersion]);
  const hiddenSet = useMemo(() => new Set(hidden), [hidden]);
  const toggleHidden = (id: string) => {
    const next = hiddenSet.has(id) ? hidden.filter((h) => h !== id) : [...hidden, id];
    setHidden(next);
    host.updateState({ hidden: next });
  };
  const toggleLog = (chartId: string) => {
    const next = logScale.includes(chartId) ? logScale.filter((c) => c !== chartId) : [...logScale, chartId];
    setLogScale(next);
    host.updateState({ logScale: next });
  };

  const sourcePoints = charts?.reduce((s, c) => s + c.sourcePoints, 0) ?? 0;
  const sentPoints = charts?.reduce((s, c) => s + c.sentPoints, 0) ?? 0;

  return (
    <main class="metrics" ref={main}>
      {error && <Banner kind="error">{error}</Banner>}
      <header class="toolbar row wrap">
        <label class="row">
          <span class="muted">X axis</span>
          <select aria-label="X axis" value={xAxis} onChange={(e) => changeView({ xAxis: (e.currentTarget as HTMLSelectElement).value as XAxisKind })}>
            {X_AXIS_KINDS.map((k) => (
              <option value={k}>{X_AXIS_LABELS[k]}</option>
            ))}
          </select>
        </label>
        <label class="row smoothing" title="TensorBoard-style exponential moving average; the raw values stay faint behind">
          <span class="muted">Smoothing</span>
          <input type="range" aria-label="Smoothing" min="0" max="0.99" step="0.01" value={smoothing} onInput={(e) => changeView({ smoothing: Number((e.currentTarget as HTMLInputElement).value) })} />
          <span class="mono value">{smoothing.toFixed(2)}</span>
        </label>
        <vscode-button secondary icon="zoom-out" disabled={!range} onClick={() => zoom(undefined)} title="Show the whole run (or double-click a chart)">
          Reset Zoom
        </vscode-button>
        <span class="spacer" />
        {charts && (
          <span class="muted small" title={`built in ${buildMs.toFixed(1)} ms in the extension host`}>
            {sourcePoints.toLocaleString('en-US')} points{sentPoints < sourcePoints ? ` · ${sentPoints.toLocaleString('en-US')} plotted after min/max decimation` : ''}
          </span>
        )}
      </header>
      <section class="runs" aria-label="Runs">
        {runs.map((r) => (
          <div class={`run-chip${hiddenSet.has(r.id) ? ' hidden-run' : ''}`} key={r.id}>
            <button class="swatch" style={{ background: colors.get(r.id) }} title={hiddenSet.has(r.id) ? 'Show in the charts' : 'Hide from the charts'} aria-pressed={!hiddenSet.has(r.id)} onClick={() => toggleHidden(r.id)} />
            <div class="run-text">
              <div>
                <strong>{r.name}</strong> <span class={`status status-${r.status}`}>{r.status}</span>
              </div>
              <div class="muted small">{r.description || r.id}</div>
              {r.skipped.length > 0 && (
                <div class="warning small" title={r.skipped.map((s) => `line ${s.line}: ${s.reason}`).join('\n')}>
                  {r.skipped.length} unreadable metrics line{r.skipped.length > 1 ? 's' : ''} skipped (first: line {r.skipped[0].line}, {r.skipped[0].reason})
                </div>
              )}
            </div>
            <vscode-toolbar-button icon="output" label="Open Log" title="Open Log" onClick={() => host.post({ type: 'openLog', runId: r.id })} />
            {runs.length > 1 && <vscode-toolbar-button icon="close" label="Remove from chart" title="Remove from chart" onClick={() => host.post({ type: 'removeRun', runId: r.id })} />}
          </div>
        ))}
      </section>
      {!charts && !error && <EmptyState busy>Reading metrics…</EmptyState>}
      {charts && charts.length === 0 && (
        <EmptyState>No metrics yet. They appear here as soon as the trainer writes its first metrics line.</EmptyState>
      )}
      <section class="charts">
        {charts?.map((c) => (
          <div class="card chart" key={c.id} data-chart={c.id}>
            <div class="chart-header row">
              <h2>{c.title}</h2>
              <span class="spacer" />
              <vscode-checkbox checked={logScale.includes(c.id)} label="Log scale" onChange={() => toggleLog(c.id)} />
            </div>
            <Chart chart={c} xAxis={xAxis} logScale={logScale.includes(c.id)} colors={colors} hidden={hiddenSet} range={range} themeVersion={themeVersion} onZoom={zoom} />
          </div>
        ))}
      </section>
    </main>
  );
}
