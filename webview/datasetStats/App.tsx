import { useEffect, useState } from 'preact/hooks';
import type { DatasetStatsFromWebview, DatasetStatsState, DatasetStatsToWebview, DatasetStatsView } from '../../src/shared/datasetStatsContract';
import type { Bridge } from '../shared/bridge';
import { Banner, EmptyState } from '../shared/components/Banner';
import { KeyValueTable } from '../shared/components/KeyValueTable';
import { Section } from '../shared/components/Section';
import '../shared/elements';
import { splitColor } from './colors';
import { Histogram } from './Histogram';

type Host = Bridge<DatasetStatsToWebview, DatasetStatsFromWebview, DatasetStatsState>;

const fmt = (n: number, digits = 1) => (Number.isInteger(n) ? n.toLocaleString() : n.toLocaleString(undefined, { maximumFractionDigits: digits }));
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');

export function App(props: { host: Host }) {
  const { host } = props;
  const [stats, setStats] = useState<DatasetStatsView>();
  const [error, setError] = useState<string>();
  const [measure, setMeasure] = useState<'steps' | 'chars'>(host.getState()?.histogram ?? 'steps');

  useEffect(() => {
    const off = host.onMessage((m) => {
      if (m.type === 'show') {
        setStats(m.stats);
        setError(undefined);
        host.updateState({ datasetKey: m.stats.datasetKey });
      } else if (m.type === 'failed') {
        setError(m.message);
      }
    });
    host.ready();
    return off;
  }, [host]);

  useEffect(() => host.updateState({ histogram: measure }), [measure]);

  if (!stats) return error ? <Banner kind="error">{error}</Banner> : <EmptyState busy>Loading the dataset…</EmptyState>;
  const splitNames = stats.splits.map((s) => s.name);
  const key = stats.datasetKey;

  return (
    <main class="dataset-stats">
      {error && <Banner kind="error">{error}</Banner>}
      <header class="page-header">
        <div>
          <h1>
            {stats.name} <span class="muted">· {stats.version}</span>
          </h1>
          <div class="muted small">
            <code>{key}</code> · built {new Date(stats.createdAt).toLocaleString()} · {fmt(stats.traceCount)} traces
          </div>
        </div>
        <div class="header-actions">
          <vscode-button icon="export" onClick={() => host.post({ type: 'exportDataset', datasetKey: key })}>
            Export…
          </vscode-button>
          <vscode-button secondary icon="json" onClick={() => host.post({ type: 'openManifest', datasetKey: key })}>
            Open Manifest
          </vscode-button>
        </div>
      </header>

      {stats.missing > 0 && (
        <Banner kind="warning">
          {fmt(stats.missing)} of its traces were deleted from the database after the build. Exports skip them and report their ids.
        </Banner>
      )}

      <div class="cards" role="list">
        <Card label="Traces" value={fmt(stats.traceCount)} testId="card-traces" />
        <Card label="Steps per trace" value={fmt(stats.summary.avgSteps)} detail={`${stats.summary.minSteps}–${stats.summary.maxSteps}`} />
        <Card label="Characters per trace" value={fmt(stats.summary.avgTotalChars, 0)} detail="prompt + steps + answer" />
        <Card label="Duplicates dropped" value={fmt(stats.dedup.dropped)} detail={`dedup: ${stats.dedup.mode}`} />
      </div>

      <Section title="Splits" count={splitNames.length} id="splits">
        <div class="split-bar" role="img" aria-label={stats.splits.map((s) => `${s.name} ${s.count}`).join(', ')}>
          {stats.splits.map((s, k) =>
            s.count ? <div key={s.name} title={`${s.name}: ${s.count}`} style={{ flexGrow: s.count, background: splitColor(k) }} /> : null,
          )}
        </div>
        <table class="grid" data-testid="splits">
          <thead>
            <tr>
              <th scope="col">Split</th>
              <th scope="col" class="num">Traces</th>
              <th scope="col" class="num">Share</th>
              <th scope="col" class="num">Target</th>
            </tr>
          </thead>
          <tbody>
            {stats.splits.map((s, k) => (
              <tr key={s.name}>
                <th scope="row">
                  <span class="swatch" style={{ background: splitColor(k) }} />
                  {s.name}
                </th>
                <td class="num">{fmt(s.count)}</td>
                <td class="num">{pct(s.count, stats.traceCount)}</td>
                <td class="num muted">{(s.ratio * 100).toFixed(1)} %</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section title="Categories" count={stats.categories.length}>
        <table class="grid" data-testid="categories">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col" class="num">Total</th>
              {splitNames.map((s) => (
                <th scope="col" class="num" key={s}>
                  {s}
                </th>
              ))}
              <th scope="col" class="bar-col">
                <span class="visually-hidden">Share</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {stats.categories.map((c) => (
              <tr key={c.name}>
                <th scope="row">{c.name}</th>
                <td class="num">{fmt(c.total)}</td>
                {splitNames.map((s) => (
                  <td class="num" key={s}>
                    {fmt(c.bySplit[s] ?? 0)}
                  </td>
                ))}
                <td class="bar-col">
                  <div class="inline-bar" title={pct(c.total, stats.traceCount)}>
                    {splitNames.map((s, k) =>
                      c.bySplit[s] ? <div key={s} style={{ width: `${(100 * c.bySplit[s]) / Math.max(1, stats.traceCount)}%`, background: splitColor(k) }} /> : null,
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section
        title={measure === 'steps' ? 'Steps per trace' : 'Characters per trace'}
        actions={
          <div class="toggle" role="radiogroup" aria-label="Histogram of">
            <vscode-button secondary={measure !== 'steps'} onClick={() => setMeasure('steps')} aria-pressed={measure === 'steps'}>
              Steps
            </vscode-button>
            <vscode-button secondary={measure !== 'chars'} onClick={() => setMeasure('chars')} aria-pressed={measure === 'chars'}>
              Length
            </vscode-button>
          </div>
        }
      >
        <Legend splits={splitNames} />
        {measure === 'steps' ? (
          <Histogram histogram={stats.stepHistogram} splits={splitNames} unit="steps" caption="Traces by number of steps, per split" />
        ) : (
          <Histogram histogram={stats.lengthHistogram} splits={splitNames} unit="characters" caption="Traces by total characters, per split" />
        )}
      </Section>

      <Section title="Build">
        <KeyValueTable
          label="How the dataset was built"
          rows={[
            { key: 'Selection', value: `${stats.selection}${stats.seed !== null ? ` (seed ${stats.seed})` : ''}` },
            { key: 'Criteria', value: stats.criteria.length ? stats.criteria.join('; ') : 'every trace' },
            { key: 'Build id', value: <code>{stats.buildId}</code> },
          ]}
        />
      </Section>
    </main>
  );
}

function Card(props: { label: string; value: string; detail?: string; testId?: string }) {
  return (
    <div class="card" role="listitem" data-testid={props.testId}>
      <div class="card-value">{props.value}</div>
      <div class="card-label">{props.label}</div>
      {props.detail && <div class="muted small">{props.detail}</div>}
    </div>
  );
}

function Legend(props: { splits: string[] }) {
  return (
    <div class="legend" aria-hidden="true">
      {props.splits.map((s, k) => (
        <span key={s}>
          <span class="swatch" style={{ background: splitColor(k) }} />
          {s}
        </span>
      ))}
    </div>
  );
}
