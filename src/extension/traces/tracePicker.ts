// A quick pick that finds a trace as you type: words search prompts, steps and answers (the
// store's full-text index); a trace id typed exactly is offered first. With nothing typed it
// lists the most recently imported traces.
import * as vscode from 'vscode';
import type { TraceSummary } from '../../core/store';
import type { StoreService } from '../platform/storeService';
import { formatScore } from './tracesTree';

interface TraceItem extends vscode.QuickPickItem {
  traceId: string;
}

const LIMIT = 50;

export async function pickTrace(stores: StoreService, options: { title: string; placeholder?: string; exclude?: string }): Promise<string | undefined> {
  const store = await stores.open();
  const api = await stores.api();
  const qp = vscode.window.createQuickPick<TraceItem>();
  qp.title = options.title;
  qp.placeholder = options.placeholder ?? 'Type words to search prompts, steps and answers, or paste a trace id';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  let generation = 0;
  let timer: NodeJS.Timeout | undefined;

  const update = (value: string) => {
    const mine = ++generation;
    qp.busy = true;
    try {
      const text = value.trim();
      const items: TraceItem[] = [];
      const seen = new Set<string>();
      const add = (t: TraceSummary) => {
        if (seen.has(t.id) || t.id === options.exclude) return;
        seen.add(t.id);
        items.push(toItem(t));
      };
      if (text) {
        const exact = api.getTraces(store, [text])[0];
        if (exact) add({ id: exact.id, source: exact.source, category: exact.category, promptPreview: exact.record.prompt.replace(/\s+/g, ' ').slice(0, 200), answerPreview: exact.record.final_answer.slice(0, 200), stepCount: exact.record.steps.length, traceVersion: exact.record.trace_version, importedAt: exact.importedAt, score: exact.scores.find((s) => s.criteria === 'baseline')?.score ?? null });
        try {
          for (const t of api.queryTraces(store, { text, limit: LIMIT }).items) add(t);
        } catch (err) {
          // A search with no words (only punctuation) is not an error while typing.
          if (!items.length) qp.items = [];
          qp.placeholder = (err as Error).message;
        }
      } else {
        for (const t of api.queryTraces(store, { sort: 'imported', order: 'desc', limit: LIMIT }).items) add(t);
      }
      if (mine !== generation) return;
      // The store already matched the words; stop the quick pick from filtering them again.
      for (const item of items) item.alwaysShow = true;
      qp.items = items;
    } finally {
      if (mine === generation) qp.busy = false;
    }
  };

  return new Promise<string | undefined>((resolve) => {
    let done = false;
    const finish = (id: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(id);
      qp.dispose();
    };
    qp.onDidChangeValue((value) => {
      clearTimeout(timer);
      timer = setTimeout(() => update(value), 150);
    });
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.traceId));
    qp.onDidHide(() => finish(undefined));
    update('');
    qp.show();
  });
}

function toItem(t: TraceSummary): TraceItem {
  const group = [t.source, t.category].filter(Boolean).join(' / ');
  const score = t.score === null ? '' : ` · score ${formatScore(t.score)}`;
  return {
    traceId: t.id,
    label: t.promptPreview || t.id,
    description: t.id,
    detail: `${group ? `${group} · ` : ''}${t.stepCount} step${t.stepCount === 1 ? '' : 's'}${score} · answer: ${t.answerPreview}`,
  };
}
