import type { DiffSegment } from '../../../src/core/trace/diff';
import { VisibleText } from './VisibleText';

/**
 * One side of a word diff: the equal text plus, for the left side, the removed runs (struck
 * through in the diff editor's red) or, for the right side, the added runs (in its green).
 */
export function DiffText(props: { segments: DiffSegment[]; side: 'left' | 'right' }) {
  const hidden = props.side === 'left' ? 'added' : 'removed';
  return (
    <>
      {props.segments.map((s, k) =>
        s.kind === hidden ? null : s.kind === 'equal' ? (
          <span key={k}>
            <VisibleText text={s.text} />
          </span>
        ) : s.kind === 'added' ? (
          <ins key={k} class="diff">
            <VisibleText text={s.text} />
          </ins>
        ) : (
          <del key={k} class="diff">
            <VisibleText text={s.text} />
          </del>
        ),
      )}
    </>
  );
}
