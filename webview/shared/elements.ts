// The @vscode-elements/elements components the webviews use, registered once, with their JSX
// typings for preact. Import this module (not the package root) so bundles hold only these.
// To use another element: import its module below and add its props to IntrinsicElements.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-divider/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-toolbar-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { HTMLAttributes } from 'preact';

type El<P> = HTMLAttributes<HTMLElement> & P;

declare module 'preact' {
  namespace JSX {
    interface IntrinsicElements {
      'vscode-badge': El<{ variant?: 'default' | 'counter' | 'activity-bar-counter' | 'tab-header-counter' }>;
      'vscode-button': El<{ icon?: string; iconAfter?: string; secondary?: boolean; disabled?: boolean; iconOnly?: boolean }>;
      'vscode-divider': El<{ role?: string }>;
      'vscode-icon': El<{ name: string; size?: number; spin?: boolean; label?: string; actionIcon?: boolean }>;
      'vscode-progress-ring': El<object>;
      'vscode-toolbar-button': El<{ icon?: string; label?: string; toggleable?: boolean; checked?: boolean }>;
      'vscode-checkbox': El<{ checked?: boolean; label?: string; disabled?: boolean }>;
    }
  }
}
