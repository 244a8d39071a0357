// Child process of the kill -9 fault test: imports one JSONL file into a store with small
// batches and frequent compactions, printing "committed N" (records processed so far)
// after each batch commit returns. Pipes to the parent are synchronous on Linux, so the
// line is out before the next batch starts. Args: DB FILE BATCH
import { openStore } from '../../../../src/core/store';
import { importTraces } from '../../../../src/core/import';

async function main(): Promise<void> {
  const [db, file, batch] = process.argv.slice(2);
  const store = await openStore(db, { compactMinBytes: 24 * 1024, compactRatio: 0.05, lockTimeoutMs: 30_000 });
  process.stdout.write('open\n');
  let processed = 0;
  await importTraces(store, [file], {
    batchSize: Number(batch),
    onBatchCommitted: (b) => {
      processed += b.records;
      process.stdout.write(`committed ${processed}\n`);
    },
  });
  await store.close();
  process.stdout.write('done\n');
}

main().catch((err) => {
  process.stderr.write(String((err as Error).stack ?? err) + '\n');
  process.exit(3);
});
