import '../elements';

/** An icon-only toolbar button with a tooltip and an accessible label. */
export function ActionIcon(props: { icon: string; label: string; onClick: () => void; disabled?: boolean; id?: string }) {
  return (
    <vscode-toolbar-button
      id={props.id}
      icon={props.icon}
      label={props.label}
      title={props.label}
      aria-disabled={props.disabled ? 'true' : undefined}
      onClick={() => !props.disabled && props.onClick()}
    />
  );
}

/** The copy action of a value: the host writes the clipboard and confirms in the status bar. */
export function CopyButton(props: { text: string; label: string; onCopy: (text: string, label: string) => void }) {
  return <ActionIcon icon="copy" label={`Copy ${props.label}`} onClick={() => props.onCopy(props.text, props.label)} />;
}
