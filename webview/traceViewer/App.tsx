import { useEffect, useState } from 'preact/hooks';
import type { TraceDocument, TraceScoreView } from '../../src/shared/traceDocument';
import type { TraceViewerFromWebview, TraceViewerState, TraceViewerToWebview } from '../../src/shared/traceViewerContract';
import type { Bridge } from '../shared/bridge';
import { ActionIcon, CopyButton } from '../shared/components/ActionIcon';
import { Banner, EmptyState } from '../shared/components/Banner';
import { KeyValueTable } from '../shared/components/KeyValueTable';
import { Section } from '../shared/components/Section';
import { VisibleText } from '../shared/components/VisibleText';
import { revealInvisible } from '../../src/core/trace/invisibleChars';
import { ScoreCard } from '../shared/trace/ScoreCard';
import '../shared/elements';

type Host = Bridge<TraceViewerToWebview, TraceViewerFromWebview, TraceViewerState>;

interface ViewState {
  trace?: TraceDocument;
  deleted?: boolean;
  error?: string;
  scoring?: boolean;
}

export function App(props: { host: Host }) {
  const { host } = props;
  const [view, setView] = useState<ViewState>({});
  const [wrap, setWrap] = useState(host.getState()?.wrap ?? true);

  useEffect(() => {
    const off = host.onMessage((m) => {
      switch (m.type) {
        case 'show':
          setView({ trace: m.trace });
          host.updateState({ traceId: m.trace.id });
          break;
        case 'scored':
          setView((v) => (v.trace?.id === m.traceId ? { ...v, scoring: false, trace: { ...v.trace, scores: withScore(v.trace.scores, m.score) } } : v));
          break;
        case 'deleted':
          setView((v) => (v.trace?.id === m.traceId ? { ...v, deleted: true } : v));
          break;
        case 'failed':
          setView((v) => ({ ...v, scoring: false, error: m.message }));
          break;
      }
    });
    host.ready();
    return off;
  }, [host]);

  useEffect(() => {
    document.body.classList.toggle('nowrap', !wrap);
    host.updateState({ wrap });
  }, [wrap]);

  // Restore the scroll position after a reload, once the content is there; remember it as it changes.
  useEffect(() => {
    if (!view.trace) return;
    const saved = host.getState();
    if (saved?.traceId === view.trace.id && saved.scrollY) window.scrollTo(0, saved.scrollY);
    let timer: number | undefined;
    const onScroll = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => host.updateState({ scrollY: window.scrollY }), 150);
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, [view.trace?.id]);

  const { trace } = view;
  if (!trace) {
    return view.error ? <Banner kind="error">{view.error}</Banner> : <EmptyState busy>Loading the trace…</EmptyState>;
  }
  const copy = (text: string, label: string) => host.post({ type: 'copy', text, label });
  const disabled = !!view.deleted;
  const score = () => {
    setView((v) => ({ ...v, scoring: true, error: undefined }));
    host.post({ type: 'score', traceId: trace.id });
  };
  const baseline = trace.scores.find((s) => s.criteria === 'baseline');
  const otherScores = trace.scores.filter((s) => s !== baseline);

  return (
    <div class="trace-viewer">
      {view.deleted && <Banner kind="warning">This trace was deleted from the database. What you see is the last copy shown.</Banner>}
      {view.error && <Banner kind="error">{view.error}</Banner>}
      <header>
        <div class="trace-title">
          <h1>Trace</h1>
          <vscode-badge title="trace_version">v{trace.traceVersion}</vscode-badge>
          <span class="muted">
            {trace.steps.length} step{trace.steps.length === 1 ? '' : 's'}
          </span>
          <span class="spacer" />
          <div class="row" role="toolbar" aria-label="Trace actions">
            <vscode-button icon="beaker" secondary disabled={disabled || view.scoring} onClick={score}>
              {baseline ? 'Rescore' : 'Score'}
            </vscode-button>
            <vscode-button icon="diff" secondary disabled={disabled} onClick={() => host.post({ type: 'compareWith', traceId: trace.id })}>
              Compare with…
            </vscode-button>
            <ActionIcon icon={wrap ? 'word-wrap' : 'list-flat'} label={wrap ? 'Do not wrap long lines' : 'Wrap long lines'} onClick={() => setWrap(!wrap)} />
            <ActionIcon icon="trash" label="Delete this trace…" disabled={disabled} onClick={() => host.post({ type: 'delete', traceId: trace.id })} />
          </div>
        </div>
        <div class="ids">
          <span class="id-item">
            <span class="muted">id</span>
            <code class="mono" title={trace.id} data-testid="trace-id">
              {trace.id}
            </code>
            <CopyButton text={trace.id} label="trace id" onCopy={copy} />
          </span>
          <span class="id-item">
            <span class="muted">hash</span>
            <code class="mono" title={trace.contentHash}>
              {trace.contentHash.slice(0, 16)}
            </code>
            <CopyButton text={trace.contentHash} label="content hash" onCopy={copy} />
          </span>
          {trace.createdAt && (
            <span class="id-item muted" title={trace.createdAt}>
              stored {new Date(trace.createdAt).toLocaleString()}
            </span>
          )}
          {trace.origin && (
            <span class="id-item">
              <span class="muted">from</span>
              <button class="link mono" title="Open the file at this line" onClick={() => host.post({ type: 'openOrigin', file: trace.origin!.file, line: trace.origin!.line })}>
                {basename(trace.origin.file)}
                {trace.origin.line !== undefined ? `:${trace.origin.line}` : ''}
              </button>
            </span>
          )}
        </div>
      </header>

      <div class="viewer-grid">
        <main class="viewer-main">
          <Section title="Prompt" actions={<CopyButton text={trace.prompt} label="prompt" onCopy={copy} />}>
            <pre class="text-block" data-testid="prompt">
              <VisibleText text={trace.prompt} />
            </pre>
          </Section>

          <Section title="Steps" count={trace.steps.length} actions={<CopyButton text={stepsAsText(trace)} label="steps" onCopy={copy} />}>
            <ol class="steps">
              {trace.steps.map((s, position) => (
                <li class="step" key={`${position}:${s.i}`} aria-label={`Step ${position + 1}, ${s.type}`}>
                  <span class="step-number" aria-hidden="true">
                    {position + 1}
                  </span>
                  <div class="step-head">
                    <vscode-badge>
                      <VisibleText text={s.type} />
                    </vscode-badge>
                    {s.i !== position && (
                      <span class="muted small" title="The step's own index (field i)">
                        i = {s.i}
                      </span>
                    )}
                    <span class="step-actions">
                      <CopyButton text={s.content} label={`step ${position + 1}`} onCopy={copy} />
                    </span>
                  </div>
                  <pre class="text-block">
                    <VisibleText text={s.content} />
                  </pre>
                </li>
              ))}
            </ol>
          </Section>

          <Section title="Final answer" actions={<CopyButton text={trace.finalAnswer} label="final answer" onCopy={copy} />}>
            <pre class="text-block final-answer" data-testid="final-answer">
              <VisibleText text={trace.finalAnswer} />
            </pre>
          </Section>
        </main>

        <aside class="viewer-side">
          <Section title="Score">
            <ScoreCard score={baseline} onScore={disabled ? undefined : score} disabled={view.scoring} />
            {otherScores.map((s) => (
              <div class="other-score" key={`${s.criteria}:${s.scoredAt ?? ''}`}>
                <ScoreCard score={s} compact />
              </div>
            ))}
          </Section>

          <Section title="Meta" count={trace.meta ? Object.keys(trace.meta).length : 0}>
            {trace.meta && Object.keys(trace.meta).length > 0 ? (
              <KeyValueTable
                label="Meta"
                rows={Object.entries(trace.meta).map(([key, value]) => ({
                  key,
                  value: <MetaValue name={key} value={value} onFilter={disabled ? undefined : (v) => host.post({ type: 'filterByMeta', key, value: v })} />,
                }))}
              />
            ) : (
              <span class="muted">No meta.</span>
            )}
          </Section>
        </aside>
      </div>
    </div>
  );
}

type Scalar = string | number | boolean | null;

function MetaValue(props: { name: string; value: unknown; onFilter?: (value: Scalar) => void }) {
  const { value } = props;
  const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (!scalar || !props.onFilter) {
    return (
      <span class="mono">
        <VisibleText text={text} />
      </span>
    );
  }
  return (
    <span class="meta-value">
      <span class={typeof value === 'string' ? '' : 'mono'}>
        <VisibleText text={text} />
      </span>
      <ActionIcon icon="filter" label={`Show traces with ${revealInvisible(props.name)} = ${revealInvisible(text)}`} onClick={() => props.onFilter!(value as Scalar)} />
    </span>
  );
}

function withScore(scores: TraceScoreView[], score: TraceScoreView): TraceScoreView[] {
  return [score, ...scores.filter((s) => s.criteria !== score.criteria)];
}

function stepsAsText(trace: TraceDocument): string {
  return trace.steps.map((s, k) => `${k + 1}. ${s.content}`).join('\n');
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
