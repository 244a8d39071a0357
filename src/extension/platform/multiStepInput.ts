// A short multi-step input (the pattern of VS Code's multi-step input sample): each step is
// an input box or a quick pick titled "Title (2/6)", with a Back button from the second step
// on, and Escape cancelling the whole flow. Steps return their value or BACK.
import * as vscode from 'vscode';

export const BACK = Symbol('back');
type Back = typeof BACK;

export interface InputStep {
  kind: 'input';
  prompt: string;
  value?: string;
  placeholder?: string;
  /** A message when the value is not acceptable (shown as the user types). */
  validate?: (value: string) => string | undefined;
}

export interface PickStep<T extends vscode.QuickPickItem> {
  kind: 'pick';
  placeholder: string;
  items: readonly T[];
  canSelectMany?: boolean;
  selected?: readonly T[];
}

export class MultiStepInput {
  private step = 0;

  constructor(
    private readonly title: string,
    private readonly totalSteps: number,
  ) {}

  /** Runs `steps` in order, supporting Back; resolves undefined when cancelled. */
  static async run<S>(title: string, steps: Array<(input: MultiStepInput, state: S) => Promise<void | Back>>, state: S): Promise<S | undefined> {
    const input = new MultiStepInput(title, steps.length);
    let k = 0;
    while (k < steps.length) {
      input.step = k;
      let result: void | Back;
      try {
        result = await steps[k](input, state);
      } catch (err) {
        if (err instanceof vscode.CancellationError) return undefined;
        throw err;
      }
      k = result === BACK ? Math.max(0, k - 1) : k + 1;
    }
    return state;
  }

  private get header(): string {
    return `${this.title} (${this.step + 1}/${this.totalSteps})`;
  }

  input(step: Omit<InputStep, 'kind'>): Promise<string | Back> {
    return new Promise((resolve, reject) => {
      const box = vscode.window.createInputBox();
      box.title = this.header;
      box.prompt = step.prompt;
      box.value = step.value ?? '';
      box.placeholder = step.placeholder;
      box.ignoreFocusOut = true;
      if (this.step > 0) box.buttons = [vscode.QuickInputButtons.Back];
      const check = () => {
        box.validationMessage = step.validate?.(box.value);
      };
      check();
      let done = false;
      const finish = (fn: () => void) => {
        done = true;
        fn();
        box.dispose();
      };
      box.onDidChangeValue(check);
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => resolve(BACK)));
      box.onDidAccept(() => {
        check();
        if (!box.validationMessage) finish(() => resolve(box.value));
      });
      box.onDidHide(() => {
        if (!done) {
          done = true;
          box.dispose();
          reject(new vscode.CancellationError());
        }
      });
      box.show();
    });
  }

  pick<T extends vscode.QuickPickItem>(step: Omit<PickStep<T>, 'kind'>): Promise<readonly T[] | Back> {
    return new Promise((resolve, reject) => {
      const qp = vscode.window.createQuickPick<T>();
      qp.title = this.header;
      qp.placeholder = step.placeholder;
      qp.items = step.items;
      qp.canSelectMany = !!step.canSelectMany;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      // Multi-select: pre-tick. Single-select: only highlight (setting selectedItems on a
      // single-select pick would accept it at once).
      if (step.selected?.length) {
        if (qp.canSelectMany) qp.selectedItems = step.selected;
        else qp.activeItems = step.selected.slice(0, 1);
      }
      if (this.step > 0) qp.buttons = [vscode.QuickInputButtons.Back];
      let done = false;
      const finish = (fn: () => void) => {
        done = true;
        fn();
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => resolve(BACK)));
      qp.onDidAccept(() => {
        const chosen = qp.canSelectMany ? qp.selectedItems : qp.activeItems.slice(0, 1);
        if (!qp.canSelectMany && chosen.length === 0) return;
        finish(() => resolve(chosen));
      });
      qp.onDidHide(() => {
        if (!done) {
          done = true;
          qp.dispose();
          reject(new vscode.CancellationError());
        }
      });
      qp.show();
    });
  }
}
