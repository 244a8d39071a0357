import { splitInvisible } from '../../../src/core/trace/invisibleChars';

/**
 * Text from a trace, with every bidirectional control and zero-width character shown as a
 * marker naming it (the character itself is not rendered, so it cannot reorder what follows).
 * Copy buttons keep the original text.
 */
export function VisibleText(props: { text: string }) {
  const pieces = splitInvisible(props.text);
  if (pieces.length === 1 && pieces[0].kind === 'text') return <>{props.text}</>;
  return (
    <>
      {pieces.map((p, k) =>
        p.kind === 'text' ? (
          p.text
        ) : (
          <span key={k} class="invisible-char" title={`${p.label} ${p.name}: an invisible character in the text`} aria-label={`${p.label} ${p.name}`} data-testid="invisible-char">
            {p.label}
          </span>
        ),
      )}
    </>
  );
}
