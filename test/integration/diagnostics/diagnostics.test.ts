// Trace diagnostics in the real extension host: opening a trace file fills
// vscode.languages.getDiagnostics at the exact ranges, edits re-validate, quick fixes,
// hovers, the CodeLens, detection of .jsonl trace files and Validate All Trace Files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, waitFor, workspaceDir } from '../helpers';

const good = (n: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ trace_version: '1.0', prompt: `What is ${n} + 1?`, final_answer: String(n + 1), steps: [{ i: 0, type: 'process', content: `${n} + 1 = ${n + 1}` }], ...extra });

function writeFile(rel: string, text: string): vscode.Uri {
  const file = path.join(workspaceDir(), 'diag-tests', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'tunix-rt');
const summary = (uri: vscode.Uri) =>
  ours(uri)
    .map((d) => `${(d.code as { value: string }).value}@${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.character + 1}`)
    .sort();

async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

describe('diagnostics: trace files in the Problems panel', function () {
  this.timeout(60_000);
  before(async () => {
    await activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opening a trace file lists each problem at its exact range, with severity, code and docs link', async () => {
    const l2 = '{"trace_version": "1.0", "prompt": 5';
    const l3 = good(3, { promt: 'x' });
    const uri = writeFile('a.trace.jsonl', [good(1), l2, l3, '', good(1)].join('\n') + '\n');
    await open(uri);
    await waitFor(() => ours(uri).length === 3, 'three diagnostics');
    assert.deepEqual(summary(uri), [`TRC001@2:${l2.length + 1}-${l2.length + 1}`, `TRC101@3:${l3.indexOf('"promt"') + 1}-${l3.indexOf('"promt"') + 8}`, `TRC104@5:1-${good(1).length + 1}`].sort());
    const [err] = ours(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.match(err.message, /truncated/);
    const code = err.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'TRC001');
    assert.equal(code.target.scheme, 'file');
    assert.ok(code.target.fsPath.endsWith(path.join('dist', 'docs', 'diagnostics.md')));
    const docLine = fs.readFileSync(code.target.fsPath, 'utf8').split('\n')[Number(code.target.fragment.slice(1)) - 1];
    assert.equal(docLine, '## TRC001');
    assert.equal(ours(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length, 2);
  });

  it('loads the validation worker only once a trace file is open, not at activation', async () => {
    const api = await activate();
    assert.ok(api.loadedHeavyModules().includes('validateWorker'));
  });

  it('re-validates as the document is edited: fixes clear, new lines shift the others', async () => {
    const uri = writeFile('edit.trace.jsonl', [good(1), '{"prompt": 1', good(2)].join('\n'));
    const editor = await open(uri);
    await waitFor(() => summary(uri).length === 1 && summary(uri)[0].startsWith('TRC001@2:'), 'the broken line 2');
    // Insert two lines above: the problem moves to line 4.
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), `${good(7)}\n${good(8)}\n`));
    await waitFor(() => summary(uri)[0]?.startsWith('TRC001@4:'), 'the problem to move to line 4');
    // Replace the broken line with a good one: no problems.
    await editor.edit((e) => e.replace(editor.document.lineAt(3).range, good(9)));
    await waitFor(() => ours(uri).length === 0, 'no problems after the fix');
    // Break a record in the middle by typing: one problem, at the typed spot.
    const text = editor.document.lineAt(0).text;
    const at = text.indexOf('"prompt"');
    await editor.edit((e) => e.insert(new vscode.Position(0, at), '#'));
    await waitFor(() => summary(uri)[0] === `TRC001@1:${at + 1}-${at + 2}`, 'the typed character marked');
  });

  it('quick fixes apply and the problem count drops', async () => {
    const dup = JSON.stringify({ trace_version: '1.0', prompt: 'p', final_answer: '2', steps: [{ i: 0, type: 'a', content: '1' }, { i: 0, type: 'b', content: '2' }] });
    const noVersion = JSON.stringify({ prompt: 'q', final_answer: '3', steps: [{ i: 0, type: 'a', content: '3' }] });
    const bare = JSON.stringify({ trace_version: '1.0', prompt: 'r', final_answer: '4', steps: ['2 + 2 = 4'] });
    const repeated = JSON.stringify({ trace_version: '1.0', prompt: 's', final_answer: '5', steps: [{ i: 0, type: 'a', content: '5' }] }).replace('"final_answer":"5"', '"final_answer":"6","final_answer":"5"');
    const uri = writeFile('fix.trace.jsonl', [dup, noVersion, bare, repeated].join('\n'));
    const editor = await open(uri);
    await waitFor(() => ours(uri).length === 4, 'four problems');
    for (const [code, title] of [
      ['TRC009', 'Renumber step indices 0..n-1'],
      ['TRC003', 'Add "trace_version": "1.0"'],
      ['TRC010', 'Convert to {"i", "type", "content"}'],
      ['TRC105', 'Remove the overridden "final_answer"'],
    ]) {
      const before = ours(uri).length;
      const d = ours(uri).find((x) => (x.code as { value: string }).value === code)!;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
      const action = actions.find((a) => a.title === title);
      assert.ok(action?.edit, `${code}: "${title}" offered (got ${actions.map((a) => a.title).join(', ')})`);
      assert.ok(await vscode.workspace.applyEdit(action.edit));
      await waitFor(() => ours(uri).length === before - 1, `${code} gone after "${title}"`);
    }
    assert.deepEqual(JSON.parse(editor.document.lineAt(2).text).steps, [{ i: 0, type: 'step', content: '2 + 2 = 4' }]);
    assert.equal(editor.document.lineAt(3).text, repeated.replace('"final_answer":"6",', ''));
  });

  it('hover on a field shows its schema description', async () => {
    const uri = writeFile('hover.trace.jsonl', good(1) + '\n');
    await open(uri);
    const col = good(1).indexOf('"prompt"') + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, col));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /prompt/);
    assert.match(text, /50,000 characters/);
  });

  it('a CodeLens counts valid and invalid records', async () => {
    const uri = writeFile('lens.trace.jsonl', [good(1), '{', good(2), '[]'].join('\n'));
    await open(uri);
    await waitFor(() => ours(uri).length === 2, 'two problems');
    const lenses = await waitFor(async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      return l.some((x) => x.command?.title === '2 valid, 2 invalid') ? l : undefined;
    }, 'the counts lens');
    const importLens = lenses.find((x) => x.command?.command === 'tunix.importTraces');
    const importExists = (await vscode.commands.getCommands(true)).includes('tunix.importTraces');
    assert.equal(!!importLens, importExists, 'the import lens shows exactly when tunix.importTraces exists');
    if (importLens) {
      assert.equal(importLens.command!.title, 'Import valid traces');
      assert.equal((importLens.command!.arguments![0] as vscode.Uri).toString(), uri.toString());
    }
  });

  it('checks .jsonl files whose first record looks like a trace, and leaves other .jsonl files alone', async () => {
    const traces = writeFile('plain.jsonl', '\n' + [good(1), '{"prompt": 2'].join('\n'));
    const evals = writeFile('eval.jsonl', ['{"id": "e1", "prompt": "2+2?", "expected_answer": "4"}', '{"broken'].join('\n'));
    await open(evals);
    await open(traces);
    await waitFor(() => ours(traces).length === 1, 'the problem in plain.jsonl');
    assert.equal(ours(evals).length, 0);
  });

  it('Validate All Trace Files validates files that are not open, with a summary', async () => {
    const closed = writeFile('closed/never-opened.trace.jsonl', [good(1), 'null'].join('\n'));
    const r = await vscode.commands.executeCommand<{ files: number; totals: { invalid: number } }>('tunix.validateAllTraceFiles');
    assert.ok(r.files >= 1);
    assert.ok(r.totals.invalid >= 1);
    assert.deepEqual(summary(closed), ['TRC002@2:1-5']);
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('VS Code\'s own JSON support checks single-trace *.trace.json files against the contributed schema', async () => {
    const uri = writeFile('single.trace.json', JSON.stringify({ prompt: 'p', final_answer: 'a', steps: [{ i: 0, type: 't', content: 'a' }] }, null, 2));
    await open(uri);
    const d = await waitFor(() => vscode.languages.getDiagnostics(uri).find((x) => /trace_version/.test(x.message)), 'a JSON schema diagnostic about trace_version', 45_000);
    assert.match(d.message, /Missing property "trace_version"/);
  });
});
