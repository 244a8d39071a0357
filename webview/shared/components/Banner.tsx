import type { ComponentChildren } from 'preact';
import '../elements';

const ICONS = { error: 'error', warning: 'warning', info: 'info' } as const;

/** A message across the top of a page: an error, a warning or a note. */
export function Banner(props: { kind: keyof typeof ICONS; children: ComponentChildren }) {
  return (
    <div class={`banner ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      <vscode-icon name={ICONS[props.kind]} />
      <div>{props.children}</div>
    </div>
  );
}

/** What a page shows before its data arrives or when there is none. */
export function EmptyState(props: { children: ComponentChildren; busy?: boolean }) {
  return (
    <div class="empty-state" aria-busy={props.busy ? 'true' : undefined}>
      {props.busy && <vscode-progress-ring />}
      <div>{props.children}</div>
    </div>
  );
}
