// The item table of a comparison: every eval item with each run's prediction, marked by how
// it moved against the reference (fixed, broken, both right, both wrong, missing), filtered
// by outcome, category and text, shown a page at a time (eval sets run to thousands).
import { useMemo, useState } from 'preact/hooks';
import type { ItemComparisonRow, ItemOutcome, PairSummary } from '../../src/core/eval/compare';
import type { OutcomeFilter } from '../../src/shared/runCompareContract';
import { RunColumnHeaders } from './RunColumnHeaders';

export const OUTCOME_LABELS: Record<ItemOutcome, string> = {
  fixed: 'Fixed',
  broken: 'Broken',
  both_right: 'Both right',
  both_wrong: 'Both wrong',
  missing: 'Missing',
};

const OUTCOME_ICONS: Record<ItemOutcome, string> = {
  fixed: 'arrow-up',
  broken: 'arrow-down',
  both_right: 'check-all',
  both_wrong: 'close-all',
  missing: 'question',
};

const PAGE = 100;

export interface ItemFilters {
  outcome: OutcomeFilter;
  against: number;
  category: string;
  text: string;
}

export function ItemTable(props: {
  rows: ItemComparisonRow[];
  pairs: PairSummary[];
  labels: string[];
  filters: ItemFilters;
  onFilters: (f: ItemFilters) => void;
  onOpenTrace: (itemId: string) => void;
}) {
  const { rows, filters, labels } = props;
  const [shown, setShown] = useState(PAGE);
  const pair = props.pairs.find((p) => p.index === filters.against) ?? props.pairs[0];
  const against = pair.index;
  const categories = useMemo(() => [...new Set(rows.map((r) => r.category).filter((c): c is string => !!c))].sort(), [rows]);
  const needle = filters.text.trim().toLowerCase();
  const visible = useMemo(
    () =>
      rows.filter(
        (r) =>
          (filters.outcome === 'all' || r.outcomes[against - 1] === filters.outcome) &&
          (!filters.category || r.category === filters.category) &&
          (!needle || [r.item_id, r.prompt, r.expected, ...r.cells.map((c) => c?.predicted ?? '')].some((t) => t.toLowerCase().includes(needle))),
      ),
    [rows, filters.outcome, filters.category, needle, against],
  );
  const set = (patch: Partial<ItemFilters>) => {
    setShown(PAGE);
    props.onFilters({ ...filters, ...patch });
  };
  const counts: Record<OutcomeFilter, number> = { all: rows.length, fixed: pair.fixed, broken: pair.broken, both_right: pair.both_right, both_wrong: pair.both_wrong, missing: pair.missing };

  return (
    <div class="items">
      <div class="item-filters" role="toolbar" aria-label="Filter items">
        <div class="segmented" role="radiogroup" aria-label="Outcome">
          {(['all', 'fixed', 'broken', 'both_right', 'both_wrong', 'missing'] as OutcomeFilter[]).map((o) => (
            <button
              type="button"
              role="radio"
              aria-checked={filters.outcome === o}
              class={`seg ${o} ${filters.outcome === o ? 'on' : ''}`}
              onClick={() => set({ outcome: o })}
              disabled={o !== 'all' && counts[o] === 0}
            >
              {o !== 'all' && <span class={`codicon codicon-${OUTCOME_ICONS[o]}`} />}
              {o === 'all' ? 'All' : OUTCOME_LABELS[o]} <span class="count">{counts[o]}</span>
            </button>
          ))}
        </div>
        {labels.length > 2 && (
          <label>
            <span>against the reference:</span>
            <select value={String(against)} onChange={(e) => set({ against: Number(e.currentTarget.value) })}>
              {labels.slice(1).map((l, i) => (
                <option value={String(i + 1)}>{l}</option>
              ))}
            </select>
          </label>
        )}
        {categories.length > 0 && (
          <label>
            <span>Category</span>
            <select value={filters.category} onChange={(e) => set({ category: e.currentTarget.value })}>
              <option value="">All</option>
              {categories.map((c) => (
                <option value={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        <input type="search" class="grow" placeholder="Search prompts, answers, predictions…" value={filters.text} onInput={(e) => set({ text: e.currentTarget.value })} aria-label="Search items" />
      </div>
      <table class="item-table" aria-label="Items">
        <thead>
          <tr>
            <th aria-label="Outcome" />
            <th>Item</th>
            <th>Prompt</th>
            <th>Expected</th>
            <RunColumnHeaders labels={labels} class="run-col" />
          </tr>
        </thead>
        <tbody>
          {visible.slice(0, shown).map((r) => {
            const o = r.outcomes[against - 1];
            return (
              <tr class={`outcome-${o}`} data-item={r.item_id}>
                <td class="outcome" title={OUTCOME_LABELS[o]}>
                  <span class={`codicon codicon-${OUTCOME_ICONS[o]}`} aria-label={OUTCOME_LABELS[o]} />
                </td>
                <td class="item-id">
                  <button class="link mono" title="Open this item's trace" onClick={() => props.onOpenTrace(r.item_id)}>
                    {r.item_id}
                  </button>
                  {r.category && <div class="muted small">{r.category}</div>}
                </td>
                <td class="prompt" title={r.prompt}>
                  {clip(r.prompt, 160)}
                </td>
                <td class="mono">{clip(r.expected, 80)}</td>
                {r.cells.map((c) =>
                  c ? (
                    <td class={`mono pred ${c.correct ? 'right' : 'wrong'}`} title={c.predicted ?? 'no prediction'}>
                      <span class={`codicon codicon-${c.correct ? 'pass' : 'error'}`} aria-label={c.correct ? 'right' : 'wrong'} /> {c.predicted === null ? <em class="muted">no prediction</em> : clip(answerPart(c.predicted), 80)}
                    </td>
                  ) : (
                    <td class="muted">–</td>
                  ),
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div class="table-footer muted small">
        {visible.length === 0 ? 'No item matches these filters.' : `Showing ${Math.min(shown, visible.length)} of ${visible.length} items`}
        {shown < visible.length && (
          <button class="link" onClick={() => setShown((n) => n + PAGE)}>
            Show {Math.min(PAGE, visible.length - shown)} more
          </button>
        )}
      </div>
    </div>
  );
}

/** The part of a generation after its last "Answer:" (the reasoning is in the tooltip). */
function answerPart(text: string): string {
  const m = [...text.matchAll(/\banswer\s*:/gi)].pop();
  return m ? text.slice(m.index! + m[0].length).trim() : text;
}

function clip(text: string, n: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}
