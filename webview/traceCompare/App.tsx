import { useEffect, useState } from 'preact/hooks';
import type { StepPair, StepRef, TextDiff, TraceDiff } from '../../src/core/trace/diff';
import type { TraceCompareFromWebview, TraceCompareState, TraceCompareToWebview } from '../../src/shared/traceCompareContract';
import type { TraceDocument } from '../../src/shared/traceDocument';
import type { Bridge } from '../shared/bridge';
import { ActionIcon, CopyButton } from '../shared/components/ActionIcon';
import { Banner, EmptyState } from '../shared/components/Banner';
import { DiffText } from '../shared/components/DiffText';
import { Section } from '../shared/components/Section';
import { ScoreCard } from '../shared/trace/ScoreCard';
import '../shared/elements';

type Host = Bridge<TraceCompareToWebview, TraceCompareFromWebview, TraceCompareState>;

interface Shown {
  left: TraceDocument;
  right: TraceDocument;
  diff: TraceDiff;
}

export function App(props: { host: Host }) {
  const { host } = props;
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<string>();
  const [changesOnly, setChangesOnly] = useState(host.getState()?.changesOnly ?? false);

  useEffect(() => {
    const off = host.onMessage((m) => {
      if (m.type === 'show') {
        setShown({ left: m.left, right: m.right, diff: m.diff });
        setError(undefined);
        host.updateState({ leftId: m.left.id, rightId: m.right.id });
      } else if (m.type === 'failed') setError(m.message);
    });
    host.ready();
    return off;
  }, [host]);

  useEffect(() => host.updateState({ changesOnly }), [changesOnly]);

  if (!shown) return error ? <Banner kind="error">{error}</Banner> : <EmptyState busy>Comparing…</EmptyState>;
  const { left, right, diff } = shown;
  const copy = (text: string, label: string) => host.post({ type: 'copy', text, label });
  const s = diff.summary;
  const steps = changesOnly ? diff.steps.filter((p) => p.kind !== 'same') : diff.steps;
  const hiddenSame = diff.steps.length - steps.length;

  return (
    <div class="trace-compare">
      {error && <Banner kind="error">{error}</Banner>}
      <header class="compare-header">
        <div class="row wrap">
          <h1>Compare traces</h1>
          <span class="spacer" />
          <vscode-checkbox checked={changesOnly} label="Only differences" onChange={(e: Event) => setChangesOnly((e.target as HTMLInputElement).checked)} />
          <ActionIcon icon="arrow-swap" label="Swap left and right" onClick={() => host.post({ type: 'swap' })} />
        </div>
        <p class="summary" data-testid="summary">
          {s.identical ? (
            'The two traces are identical.'
          ) : (
            <>
              <Flag on={s.promptChanged} label="prompt" /> · <Flag on={s.finalAnswerChanged} label="final answer" /> · steps: {s.stepsSame} same, {s.stepsChanged} changed, {s.stepsAdded} added, {s.stepsRemoved} removed
              {s.metaChanged > 0 && ` · ${s.metaChanged} meta difference${s.metaChanged === 1 ? '' : 's'}`}
            </>
          )}
        </p>
      </header>

      <div class="compare-grid">
        <SideHeader trace={left} side="left" host={host} copy={copy} />
        <SideHeader trace={right} side="right" host={host} copy={copy} />
      </div>

      <Section title="Prompt">
        <TextRow diff={diff.prompt} />
      </Section>

      <Section title="Steps" count={diff.steps.length} actions={hiddenSame > 0 ? <span class="muted small">{hiddenSame} identical hidden</span> : undefined}>
        <div class="compare-grid steps-grid">
          {steps.map((pair, k) => (
            <StepRow key={k} pair={pair} />
          ))}
        </div>
      </Section>

      <Section title="Final answer">
        <TextRow diff={diff.finalAnswer} emphasis />
      </Section>

      <Section title="Meta" count={diff.meta.length}>
        {diff.meta.length === 0 ? (
          <span class="muted">Neither trace has meta.</span>
        ) : (
          <table class="kv meta-compare" aria-label="Meta differences">
            <tbody>
              {diff.meta
                .filter((m) => !changesOnly || m.kind !== 'same')
                .map((m) => (
                  <tr key={m.key} class={`meta-${m.kind}`}>
                    <th scope="row">{m.key}</th>
                    <td class={m.kind === 'removed' || m.kind === 'changed' ? 'cell-removed' : ''}>{m.left ?? <span class="muted">—</span>}</td>
                    <td class={m.kind === 'added' || m.kind === 'changed' ? 'cell-added' : ''}>{m.right ?? <span class="muted">—</span>}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </Section>
    </div>
  );
}

function Flag(props: { on: boolean; label: string }) {
  return props.on ? <strong>{props.label} differs</strong> : <span class="muted">same {props.label}</span>;
}

function SideHeader(props: { trace: TraceDocument; side: 'left' | 'right'; host: Host; copy: (text: string, label: string) => void }) {
  const { trace } = props;
  const baseline = trace.scores.find((s) => s.criteria === 'baseline');
  return (
    <div class={`side-header side-${props.side}`} data-testid={`side-${props.side}`}>
      <div class="row">
        <span class="side-label">{props.side === 'left' ? 'A' : 'B'}</span>
        <code class="mono side-id" title={trace.id}>
          {trace.id}
        </code>
        <CopyButton text={trace.id} label="trace id" onCopy={props.copy} />
        <ActionIcon icon="go-to-file" label="Open in the trace viewer" onClick={() => props.host.post({ type: 'open', traceId: trace.id })} />
      </div>
      <div class="muted small">
        {[`${trace.steps.length} step${trace.steps.length === 1 ? '' : 's'}`, `hash ${trace.contentHash.slice(0, 12)}`, [meta(trace, 'source'), meta(trace, 'category')].filter(Boolean).join(' / ')]
          .filter(Boolean)
          .join(' · ')}
      </div>
      <ScoreCard score={baseline} compact onScore={() => props.host.post({ type: 'score', traceId: trace.id })} />
    </div>
  );
}

function meta(trace: TraceDocument, key: string): string | undefined {
  const v = trace.meta?.[key];
  return v === undefined || v === null ? undefined : String(v);
}

function TextRow(props: { diff: TextDiff; emphasis?: boolean }) {
  const cls = `text-block${props.emphasis ? ' emphasis' : ''}`;
  return (
    <div class="compare-grid">
      <pre class={cls} data-side="left">
        <DiffText segments={props.diff.segments} side="left" />
      </pre>
      <pre class={cls} data-side="right">
        <DiffText segments={props.diff.segments} side="right" />
      </pre>
      {!props.diff.exact && <p class="muted small span-2">These texts differ too much for a word-by-word comparison; whole lines are compared.</p>}
    </div>
  );
}

function StepRow(props: { pair: StepPair }) {
  const { pair } = props;
  return (
    <>
      <StepCell refd={pair.left} pair={pair} side="left" />
      <StepCell refd={pair.right} pair={pair} side="right" />
    </>
  );
}

function StepCell(props: { refd?: StepRef; pair: StepPair; side: 'left' | 'right' }) {
  const { refd, pair, side } = props;
  if (!refd) {
    return <div class={`step-cell step-gap gap-${pair.kind}`} aria-label={pair.kind === 'added' ? 'No matching step (added on the right)' : 'No matching step (removed on the left)'} />;
  }
  const status = pair.kind === 'same' ? 'same' : pair.kind === 'changed' ? 'changed' : side === 'left' ? 'removed' : 'added';
  return (
    <div class={`step-cell step-${status}`} data-kind={pair.kind}>
      <div class="step-head">
        <span class="step-number">{refd.position + 1}</span>
        <vscode-badge class={pair.typeChanged ? 'type-changed' : ''}>{refd.step.type}</vscode-badge>
        {refd.step.i !== refd.position && <span class="muted small">i = {refd.step.i}</span>}
        <span class="spacer" />
        <span class={`status-label muted small`}>{status === 'same' ? '' : status}</span>
      </div>
      <pre class="text-block">{pair.content ? <DiffText segments={pair.content.segments} side={side} /> : refd.step.content}</pre>
    </div>
  );
}
