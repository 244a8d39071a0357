// The trace operations behind the view's commands and the panels' buttons, over the store:
// load a trace for the webviews, score, delete. Each returns what the UI needs to update.
import { UserError } from '../../core/errors';
import type { TraceScoreView } from '../../shared/traceDocument';
import type { StoreService } from '../platform/storeService';
import { toScoreView, toTraceDocument } from './traceDocument';
import type { TraceSource } from './traceSource';

export class TraceActions implements TraceSource {
  constructor(private readonly stores: StoreService) {}

  async load(id: string) {
    const store = await this.stores.open();
    const api = await this.stores.api();
    const trace = api.getTrace(store, id);
    if (!trace) throw new UserError(`No trace with id "${id}" in the database ${store.path}. It may have been deleted; refresh the Traces view.`);
    return toTraceDocument(trace);
  }

  /** Whether a trace with this id exists. */
  async exists(id: string): Promise<boolean> {
    const store = await this.stores.open();
    const api = await this.stores.api();
    return api.getTraces(store, [id]).length === 1;
  }

  async score(id: string): Promise<TraceScoreView> {
    const results = await this.scoreMany([id]);
    const s = results.get(id);
    if (!s) throw new UserError(`No trace with id "${id}" in the database; it may have been deleted.`);
    return s;
  }

  /** Computes and stores the baseline score of each trace; returns the stored scores by id (missing ids are left out). */
  async scoreMany(ids: readonly string[]): Promise<Map<string, TraceScoreView>> {
    const store = await this.stores.open();
    const api = await this.stores.api();
    await api.scoreTraces(store, ids);
    const out = new Map<string, TraceScoreView>();
    for (const id of ids) {
      const baseline = api.getScores(store, id).find((s) => s.criteria === 'baseline');
      if (baseline) out.set(id, toScoreView(baseline));
    }
    return out;
  }

  /** Deletes traces; returns how many existed. */
  async delete(ids: readonly string[]): Promise<number> {
    const store = await this.stores.open();
    const api = await this.stores.api();
    return api.deleteTraces(store, ids);
  }
}
