// The header cells that name each compared run in a table: the run's colour swatch (the same
// colour as its card and its chart line) and "Reference" / "Run N", with the full label on hover.
import { runColor } from './colors';

export function RunColumnHeaders(props: { labels: readonly string[]; class?: string }) {
  return (
    <>
      {props.labels.map((label, i) => (
        <th class={props.class} title={label}>
          <span class="swatch" style={{ background: runColor(i) }} />
          {i === 0 ? 'Reference' : `Run ${i + 1}`}
        </th>
      ))}
    </>
  );
}
