// "Tunix: Generate Sample Traces...": pick a task, a count and a seed; writes a .trace.jsonl
// into the workspace and offers to import it (the Traces feature's `tunix.importTraces`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskChoice } from '../../core/generate';
import { UserError } from '../../core/errors';
import { BACK, MultiStepInput } from '../platform/multiStepInput';

interface TaskItem extends vscode.QuickPickItem {
  task: TaskChoice;
}

interface GenerateSettings {
  task: TaskChoice;
  count: number;
  seed: number;
}

export const IMPORT_ACTION = 'Import into the Database';
export const OPEN_ACTION = 'Open File';
/** Where samples go, under the first workspace folder. */
export const SAMPLES_FOLDER = 'tunix-samples';

/** A file name not taken yet: name.trace.jsonl, name-2.trace.jsonl, ... */
function freeName(dir: string, base: string): string {
  for (let k = 1; ; k++) {
    const file = path.join(dir, `${base}${k > 1 ? `-${k}` : ''}.trace.jsonl`);
    if (!fs.existsSync(file)) return file;
  }
}

export async function askGenerateSettings(args?: Partial<GenerateSettings>): Promise<GenerateSettings | undefined> {
  const { TASK_NAMES, TASKS, MAX_GENERATE_COUNT, parseTask } = await import('../../core/generate');
  if (args?.task && args.count && args.seed !== undefined) return { task: parseTask(args.task), count: args.count, seed: args.seed };
  const items: TaskItem[] = [
    { label: 'mixed', description: 'every task, dealt in shuffled rounds', task: 'mixed' },
    ...TASK_NAMES.map((name) => ({ label: name, description: TASKS[name].summary, task: name as TaskChoice })),
  ];
  return MultiStepInput.run<GenerateSettings>(
    'Generate Sample Traces',
    [
      async (input, st) => {
        const picked = await input.pick({ placeholder: 'Which task', items, selected: items.filter((i) => i.task === st.task) });
        if (picked === BACK) return BACK;
        st.task = picked[0].task;
      },
      async (input, st) => {
        const v = await input.input({
          prompt: `How many traces (1 to ${MAX_GENERATE_COUNT.toLocaleString('en-US')})`,
          value: String(st.count),
          validate: (x) => (/^\d+$/.test(x.trim()) && Number(x) >= 1 && Number(x) <= MAX_GENERATE_COUNT ? undefined : `A whole number from 1 to ${MAX_GENERATE_COUNT}.`),
        });
        if (v === BACK) return BACK;
        st.count = Number(v.trim());
      },
      async (input, st) => {
        const v = await input.input({ prompt: 'Seed (the same seed always gives the same traces)', value: String(st.seed), validate: (x) => (/^-?\d+$/.test(x.trim()) ? undefined : 'An integer.') });
        if (v === BACK) return BACK;
        st.seed = Number(v.trim());
      },
    ],
    { task: args?.task ?? 'mixed', count: args?.count ?? 500, seed: args?.seed ?? 1 },
  );
}

/** Writes the samples with progress; returns the file. */
export async function writeSamples(settings: GenerateSettings): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new UserError('Open a folder first: the samples are written into the workspace.');
  const { generateTraces } = await import('../../core/generate');
  const { writeLinesAtomically, CancelledError } = await import('../../core/dataset/jsonlFile');
  const dir = path.join(folder.uri.fsPath, SAMPLES_FOLDER);
  const file = freeName(dir, `${settings.task}-${settings.count}-seed${settings.seed}`);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Generating ${settings.count.toLocaleString('en-US')} ${settings.task} traces`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      async function* lines() {
        let k = 0;
        for (const t of generateTraces(settings)) {
          yield JSON.stringify(t) + '\n';
          // Yield to the event loop now and then: progress shows and Cancel works.
          if (++k % 2000 === 0) {
            progress.report({ increment: (100 * 2000) / settings.count, message: `${k.toLocaleString('en-US')} traces` });
            await new Promise((r) => setImmediate(r));
          }
        }
      }
      try {
        await writeLinesAtomically(file, lines(), { signal: abort.signal });
        return vscode.Uri.file(file);
      } catch (err) {
        if (err instanceof CancelledError) return undefined;
        throw err;
      } finally {
        sub.dispose();
      }
    },
  );
}
