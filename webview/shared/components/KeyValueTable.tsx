import type { ComponentChildren } from 'preact';
import { revealInvisible } from '../../../src/core/trace/invisibleChars';
import { VisibleText } from './VisibleText';

/** A two-column table of labels and values (meta, score details). */
export function KeyValueTable(props: { rows: Array<{ key: string; value: ComponentChildren; title?: string }>; label: string }) {
  return (
    <table class="kv" aria-label={props.label}>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key}>
            <th scope="row" title={r.title ?? revealInvisible(r.key)}>
              <span class="kv-key">
                <VisibleText text={r.key} />
              </span>
            </th>
            <td>{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
