// The engine's data step: exports a built dataset from the store into the run folder
// (`data/dataset.jsonl` with every split, and `data/<split>.jsonl` per split) in the
// tunix_sft format, so a run keeps the exact data it trained on even if the dataset is
// rebuilt later.
import * as path from 'node:path';
import { UserError } from '../errors';
import { exportDataset } from '../dataset/export';
import { getManifest } from '../dataset/repository';
import type { Store } from '../store/store';
import type { DataPreparer, PreparedData } from './engine';

/** Split names the trainer knows, with the names datasets commonly use for them. */
const SPLIT_ROLES: Record<'train' | 'val' | 'test', string[]> = {
  train: ['train', 'training'],
  val: ['val', 'validation', 'valid', 'dev', 'eval'],
  test: ['test', 'holdout', 'heldout'],
};

export function storeDataPreparer(store: Store): DataPreparer {
  return async (datasetKey: string, runDir: string): Promise<PreparedData> => {
    const manifest = getManifest(store, datasetKey);
    const counts = manifest.splits.counts;
    const pick = (role: keyof typeof SPLIT_ROLES) => SPLIT_ROLES[role].find((name) => (counts[name] ?? 0) > 0);
    const train = pick('train');
    if (!train) {
      const have = Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(', ') || 'none';
      throw new UserError(`Dataset ${datasetKey} has no non-empty train split (its splits: ${have}). Rebuild it with a train split, e.g. --splits train=0.8,val=0.1,test=0.1.`);
    }
    const out: PreparedData = { dataset: 'data/dataset.jsonl', train: `data/${train}.jsonl` };
    const exportTo = async (rel: string, split?: string) => {
      const r = await exportDataset(store, { key: datasetKey, format: 'tunix_sft', split, out: path.join(runDir, rel) });
      if (r.written === 0) throw new UserError(`Dataset ${datasetKey}${split ? ` split ${split}` : ''} exported no traces (${r.missing.length} deleted from the database since the build). Rebuild the dataset.`);
      return r;
    };
    await exportTo(out.dataset);
    await exportTo(out.train, train);
    for (const role of ['val', 'test'] as const) {
      const split = pick(role);
      if (!split) continue;
      out[role] = `data/${split}.jsonl`;
      await exportTo(out[role]!, split);
    }
    return out;
  };
}
