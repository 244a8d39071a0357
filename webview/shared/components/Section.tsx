import type { ComponentChildren } from 'preact';
import '../elements';

/** A titled part of a page: heading, optional count badge and actions on the right, content. */
export function Section(props: { title: string; count?: number; actions?: ComponentChildren; children: ComponentChildren; id?: string; class?: string }) {
  return (
    <section class={`section ${props.class ?? ''}`} id={props.id} aria-label={props.title}>
      <div class="section-header">
        <h2>{props.title}</h2>
        {props.count !== undefined && <vscode-badge variant="counter">{props.count}</vscode-badge>}
        {props.actions && <div class="section-actions">{props.actions}</div>}
      </div>
      {props.children}
    </section>
  );
}
