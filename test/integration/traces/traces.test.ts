// The Traces feature in a real extension host: import through the command, the tree's groups,
// counts and "Load more" paging, search and meta filters, the viewer and comparison panels
// (their pages load under the CSP and answer the host), scoring, copying and deleting. Uses a
// database of its own (the tunix.database.path setting), so other suites are not affected.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { baselineScore } from '../../../src/core/trace/score';
import type { TracesFeatureParts } from '../../../src/extension/traces/feature';
import type { ImportOutcome } from '../../../src/extension/traces/importCommand';
import type { TraceComparePanel } from '../../../src/extension/traces/traceComparePanel';
import type { TracesNode } from '../../../src/extension/traces/tracesTree';
import type { TraceViewerPanel } from '../../../src/extension/traces/traceViewerPanel';
import { activate, featureParts, logText, suiteDatabase, waitFor, workspaceDir } from '../helpers';

const HOOK = Symbol.for('tunix-rt.traces.feature');

function parts(): TracesFeatureParts {
  return featureParts<TracesFeatureParts>(HOOK, 'traces');
}

async function children(node?: TracesNode): Promise<TracesNode[]> {
  return (await parts().tree.getChildren(node)) ?? [];
}

function label(node: TracesNode): string {
  const l = parts().tree.getTreeItem(node).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

async function categoryNode(source: string, category: string): Promise<Extract<TracesNode, { kind: 'category' }>> {
  const src = (await children()).find((n) => n.kind === 'source' && n.source === source);
  assert.ok(src, `a source group "${source}"`);
  const cat = (await children(src)).find((n) => n.kind === 'category' && n.category === category);
  assert.ok(cat && cat.kind === 'category', `a category group "${source}/${category}"`);
  return cat;
}

/** Waits until the panel's page has loaded and sent `ready`: proof its script ran under the page's CSP. */
function pageReady(host: { onDidBecomeReady: vscode.Event<void>; isReady: boolean }): Promise<void> {
  if (host.isReady) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = host.onDidBecomeReady(() => {
      sub.dispose();
      resolve();
    });
  });
}

describe('traces: view, import, viewer and comparison (integration)', function () {
  this.timeout(120_000);
  const suite = suiteDatabase('.tunix-it-', { file: 'traces.db' });
  const samples = () => path.join(workspaceDir(), 'traces');



  it('shows nothing (so the welcome content shows) and creates no database before the first import', async () => {
    assert.deepEqual(await children(), []);
    assert.equal(fs.existsSync(suite.db), false, 'looking at the view created a database file');
  });

  it('imports a JSONL file given as a Uri (explorer / CodeLens) and reports counts', async () => {
    const outcome = (await vscode.commands.executeCommand('tunix.importTraces', vscode.Uri.file(path.join(samples(), 'reasoning.trace.jsonl')))) as ImportOutcome;
    assert.ok(outcome, 'the command returned its outcome');
    assert.equal(outcome.report.imported, 5);
    assert.equal(outcome.report.invalid, 0);
    assert.match(outcome.summary, /^Imported 5 traces from reasoning\.trace\.jsonl \(0 duplicates skipped, 0 invalid lines\)/);
    assert.ok(fs.existsSync(suite.db), 'the database file exists after the import');
  });

  it('importing the same file again adds nothing and reports the duplicates', async () => {
    const outcome = (await vscode.commands.executeCommand('tunix.importTraces', vscode.Uri.file(path.join(samples(), 'reasoning.trace.jsonl')))) as ImportOutcome;
    assert.equal(outcome.report.imported, 0);
    assert.equal(outcome.report.duplicates, 5);
  });

  it('skips invalid lines and lists each with its line number and reason', async () => {
    const file = path.join(samples(), 'invalid.trace.jsonl');
    const outcome = (await vscode.commands.executeCommand('tunix.importTraces', vscode.Uri.file(file))) as ImportOutcome;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.ok(outcome.report.invalid > 0, 'the sample has invalid lines');
    assert.equal(outcome.report.invalidLines.length, outcome.report.invalid);
    for (const bad of outcome.report.invalidLines) {
      assert.equal(bad.file, file);
      assert.ok(bad.line >= 1 && bad.line <= lines.length, `line ${bad.line} is in the file`);
      assert.ok(bad.message.length > 10, `a reason for line ${bad.line}`);
    }
    assert.match(outcome.summary, new RegExp(`${outcome.report.invalid} invalid line`));
  });

  it('the explorer multi-selection imports every selected file', async () => {
    const a = vscode.Uri.file(path.join(samples(), 'arith.trace.jsonl'));
    const b = vscode.Uri.file(path.join(samples(), 'reasoning.trace.jsonl'));
    const outcome = (await vscode.commands.executeCommand('tunix.importTraces', a, [a, b])) as ImportOutcome;
    assert.deepEqual(outcome.report.files.map((f) => path.basename(f.file)), ['arith.trace.jsonl', 'reasoning.trace.jsonl']);
    assert.equal(outcome.report.files[1].duplicates, 5);
  });

  it('groups traces by source, then category, with counts that add up', async () => {
    const { stores } = parts();
    const api = await stores.api();
    const store = await stores.open();
    const total = api.countTraces(store, {});
    const roots = await children();
    assert.ok(roots.length > 0 && roots.every((r) => r.kind === 'source'));
    let sum = 0;
    for (const src of roots) {
      assert.equal(src.kind, 'source');
      if (src.kind !== 'source') continue;
      const item = parts().tree.getTreeItem(src);
      assert.equal(item.description, src.count.toLocaleString('en-US'));
      assert.equal(src.count, api.countTraces(store, { source: src.source }));
      const cats = await children(src);
      assert.equal(cats.reduce((n, c) => n + (c.kind === 'category' ? c.count : 0), 0), src.count);
      sum += src.count;
    }
    assert.equal(sum, total);
    const reverse = await categoryNode('dev-reasoning-v2', 'synthetic');
    const traces = await children(reverse);
    assert.equal(traces.length, reverse.count);
    const first = traces[0];
    assert.equal(first.kind, 'trace');
    const item = parts().tree.getTreeItem(first);
    assert.equal(item.contextValue, 'tunix.trace');
    assert.equal(item.command?.command, 'tunix.openTrace');
    assert.match(label(first), /^Reverse the string/);
  });

  it('pages a large category lazily with "Load more" (keyset cursor), without repeating or skipping traces', async () => {
    const file = path.join(suite.dir, 'many.jsonl');
    const lines = Array.from({ length: 250 }, (_, k) =>
      JSON.stringify({ trace_version: '1.0', prompt: `Add ${k} and ${k + 1}`, final_answer: String(2 * k + 1), steps: [{ i: 0, type: 'calc', content: `${k}+${k + 1}=${2 * k + 1}` }], meta: { source: 'paging', category: 'bulk', k } }),
    );
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const outcome = (await vscode.commands.executeCommand('tunix.importTraces', vscode.Uri.file(file))) as ImportOutcome;
    assert.equal(outcome.report.imported, 250);
    const bulk = await categoryNode('paging', 'bulk');
    let shown = await children(bulk);
    assert.equal(shown.length, 101);
    assert.equal(shown[100].kind, 'loadMore');
    assert.equal(parts().tree.getTreeItem(shown[100]).description, '100 of 250 shown');
    await vscode.commands.executeCommand('tunix.traces.loadMore', shown[100]);
    shown = await children(bulk);
    assert.equal(shown.length, 201);
    await vscode.commands.executeCommand('tunix.traces.loadMore', shown[200]);
    shown = await children(bulk);
    assert.equal(shown.length, 250, 'the last page has no "Load more"');
    const prompts = shown.map(label);
    assert.deepEqual(prompts, lines.map((_, k) => `Add ${k} and ${k + 1}`), 'every trace once, in import order');
  });

  it('searches prompts, steps and answers from the view, and says so in the view description', async () => {
    const totals = (await vscode.commands.executeCommand('tunix.searchTraces', 'prime')) as { matching: number; all: number };
    assert.equal(totals.matching, 1);
    assert.match(parts().view.description ?? '', /"prime"/);
    assert.match(parts().view.message ?? '', /^1 of [\d,]+ traces match/);
    const roots = await children();
    assert.equal(roots.length, 1);
    const [src] = roots;
    const [cat] = await children(src);
    const [trace] = await children(cat);
    assert.match(label(trace), /prime/);
    // Words inside steps are found too.
    const inSteps = (await vscode.commands.executeCommand('tunix.searchTraces', 'divisors')) as { matching: number };
    assert.equal(inSteps.matching, 1);
    await vscode.commands.executeCommand('tunix.clearTraceFilter');
    assert.equal(parts().view.description, undefined);
  });

  it('filters by a meta key and values, combined with a search', async () => {
    const totals = (await vscode.commands.executeCommand('tunix.filterTraces', 'task_type', ['string_reverse'])) as { matching: number };
    assert.equal(totals.matching, 2);
    assert.equal(parts().view.description, 'task_type = string_reverse');
    const both = (await vscode.commands.executeCommand('tunix.searchTraces', 'trace')) as { matching: number };
    assert.equal(both.matching, 1, "only the reversal of 'trace'");
    assert.equal(parts().view.description, '"trace" · task_type = string_reverse');
    const none = (await vscode.commands.executeCommand('tunix.searchTraces', 'zebra')) as { matching: number };
    assert.equal(none.matching, 0);
    const roots = await children();
    assert.equal(roots.length, 1);
    assert.equal(roots[0].kind, 'message', 'an explanation instead of an empty view');
    await vscode.commands.executeCommand('tunix.clearTraceFilter');
    assert.ok((await children()).every((n) => n.kind === 'source'));
  });

  it('opens a trace in the viewer: its page loads under a strict CSP and receives the trace', async () => {
    const [trace] = await children(await categoryNode('dev-reasoning-v2', 'math'));
    assert.equal(trace.kind, 'trace');
    if (trace.kind !== 'trace') return;
    const panel = (await vscode.commands.executeCommand('tunix.openTrace', trace.trace.id)) as TraceViewerPanel;
    const ready = pageReady(panel.host);
    await panel.loaded;
    await ready;
    assert.equal(panel.shown?.id, trace.trace.id);
    assert.equal(panel.shown?.prompt, 'Is 91 a prime number?');
    assert.equal(panel.shown?.steps.length, 4);
    assert.equal(panel.shown?.origin?.file, path.join(samples(), 'reasoning.trace.jsonl'));
    assert.equal(panel.shown?.origin?.line, 3);
    const webview = panel.host.panel.webview;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(webview.html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.deepEqual(
      (webview.options.localResourceRoots ?? []).map((u) => path.basename(u.fsPath)),
      ['dist', 'media'],
    );
    // Opening the same trace again reveals the same panel.
    const again = (await vscode.commands.executeCommand('tunix.openTrace', trace.trace.id)) as TraceViewerPanel;
    assert.equal(again, panel);
  });

  it('reloads the page with a fresh nonce and sends the trace again (state survives reloads)', async () => {
    const id = (await children(await categoryNode('dev-reasoning-v2', 'math')))[0];
    if (id.kind !== 'trace') return;
    const panel = parts().viewers.panelOf(id.trace.id)!;
    const before = panel.host.panel.webview.html;
    panel.host.load();
    assert.equal(panel.host.isReady, false, 'a reload makes the page not ready until it says so');
    await pageReady(panel.host);
    const nonce = (html: string) => /nonce-([^']+)'/.exec(html)?.[1];
    assert.notEqual(nonce(panel.host.panel.webview.html), nonce(before));
  });

  it('scores a trace with the tunix-rt baseline and updates the open viewer', async () => {
    const [node] = await children(await categoryNode('dev-reasoning-v2', 'math'));
    if (node.kind !== 'trace') return;
    const scores = (await vscode.commands.executeCommand('tunix.scoreTrace', node.trace.id)) as Record<string, { score: number; details: Record<string, unknown> }>;
    const panel = parts().viewers.panelOf(node.trace.id)!;
    const expected = baselineScore({ steps: panel.shown!.steps });
    assert.equal(scores[node.trace.id].score, expected.score);
    assert.equal(scores[node.trace.id].details.step_score, expected.details.step_score);
    await waitFor(() => panel.shown?.scores.find((s) => s.criteria === 'baseline')?.score === expected.score, 'the viewer to show the new score');
    // The tree shows it too, once it caught up with the change (refreshes are coalesced).
    await waitFor(async () => {
      const [again] = await children(await categoryNode('dev-reasoning-v2', 'math'));
      return String(parts().tree.getTreeItem(again).description).endsWith(`· ${expected.score}`);
    }, 'the tree item to show the score');
  });

  it('copies trace ids (one, or the multi-selection) to the clipboard', async () => {
    const nodes = await children(await categoryNode('dev-reasoning-v2', 'synthetic'));
    const ids = nodes.flatMap((n) => (n.kind === 'trace' ? [n.trace.id] : []));
    await vscode.commands.executeCommand('tunix.copyTraceId', nodes[0]);
    assert.equal(await vscode.env.clipboard.readText(), ids[0]);
    await vscode.commands.executeCommand('tunix.copyTraceId', nodes[1], nodes);
    assert.equal(await vscode.env.clipboard.readText(), ids.join('\n'));
  });

  it('compares two traces side by side: aligned steps, word diffs, both scores', async () => {
    const nodes = await children(await categoryNode('dev-reasoning-v2', 'synthetic'));
    const [a, b] = nodes.flatMap((n) => (n.kind === 'trace' ? [n.trace.id] : []));
    await vscode.commands.executeCommand('tunix.scoreTrace', a);
    const panel = (await vscode.commands.executeCommand('tunix.compareTraces', nodes[0], nodes.slice(0, 2))) as TraceComparePanel;
    const ready = pageReady(panel.host);
    await panel.loaded;
    await ready;
    const shown = panel.message!;
    assert.equal(shown.left.id, a);
    assert.equal(shown.right.id, b);
    assert.equal(shown.diff.summary.promptChanged, true);
    assert.equal(shown.diff.summary.finalAnswerChanged, true);
    assert.equal(shown.diff.steps.length, 2);
    assert.ok(shown.diff.steps.every((p) => p.kind === 'changed'));
    assert.deepEqual(
      shown.diff.prompt.segments.filter((s) => s.kind !== 'equal').map((s) => [s.kind, s.text]),
      [
        ['removed', 'reason'],
        ['added', 'trace'],
      ],
    );
    assert.ok(shown.left.scores.some((s) => s.criteria === 'baseline'), 'the left side carries its score');
    // The same pair reuses its panel.
    assert.equal(await vscode.commands.executeCommand('tunix.compareTraces', a, b), panel);
  });

  it('refuses to compare more than two selected traces with a clear message', async () => {
    const nodes = await children(await categoryNode('paging', 'bulk'));
    const api = await activate();
    const before = logText(api).length;
    const result = await vscode.commands.executeCommand('tunix.compareTraces', nodes[0], nodes.slice(0, 3));
    assert.equal(result, undefined);
    await waitFor(() => logText(api).slice(before).includes('Select exactly two traces to compare (3 are selected)'), 'the message in the log');
  });

  it('deletes a trace: gone from the database and the tree, and its open viewer says so', async () => {
    const bulk = await categoryNode('paging', 'bulk');
    const before = bulk.count;
    const [first] = await children(bulk);
    if (first.kind !== 'trace') return;
    const viewer = (await vscode.commands.executeCommand('tunix.openTrace', first.trace.id)) as TraceViewerPanel;
    await viewer.loaded;
    const deleted = await vscode.commands.executeCommand('tunix.deleteTrace', first, undefined, { confirm: false });
    assert.equal(deleted, 1);
    const store = await parts().stores.open();
    const api = await parts().stores.api();
    assert.equal(api.getTrace(store, first.trace.id), undefined);
    parts().tree.refresh();
    assert.equal((await categoryNode('paging', 'bulk')).count, before - 1);
    assert.equal(await parts().actions.exists(first.trace.id), false);
    assert.equal(viewer.isDeleted, true, 'the open viewer was told');
    // Opening a deleted id is a clear error, not a crash.
    const ext = await activate();
    const logged = logText(ext).length;
    assert.equal(await vscode.commands.executeCommand('tunix.openTraceById', first.trace.id), undefined);
    await waitFor(() => logText(ext).slice(logged).includes(`No trace with id "${first.trace.id}"`), 'the error in the log');
  });

  it('sees changes another process (the CLI) commits to the same database', async () => {
    const before = (await parts().stores.api()).countTraces(await parts().stores.open(), {});
    const file = path.join(suite.dir, 'cli.jsonl');
    fs.writeFileSync(file, JSON.stringify({ trace_version: '1.0', prompt: 'From the CLI', final_answer: 'ok', steps: [{ i: 0, type: 'note', content: 'written by another process' }], meta: { source: 'cli' } }) + '\n');
    const { spawnSync } = await import('node:child_process');
    const ext = vscode.extensions.getExtension('tunix-rt.tunix-rt')!;
    const r = spawnSync(process.execPath, [path.join(ext.extensionPath, 'dist', 'cli.js'), 'import', file, '--db', suite.db, '--json'], { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(r.status, 0, r.stderr);
    await waitFor(async () => (await children()).some((n) => n.kind === 'source' && n.source === 'cli'), 'the tree to show the CLI import');
    assert.equal((await parts().stores.api()).countTraces(await parts().stores.open(), {}), before + 1);
  });
});
