// The built-in trainer, a child process: `node dist/trainer.js <runDir>`.
// Reads <runDir>/config.json, trains with the best TensorFlow.js backend available (or the one
// asked for), and writes metrics, checkpoints, the model and predictions into <runDir>.
// stdout carries JSON-line events only (see ../core/run/trainerEvents.ts); stderr is the log.
// Exit codes: 0 done, 1 training failed, 2 bad config/data/backend, 143 SIGTERM.
import { isMainThread, workerData } from 'node:worker_threads';
import { loadConfig } from './config';
import { GRADIENT_WORKER_KIND } from './parallel/messages';
import { classifyError, configError } from './errors';
import { emit, log, routeConsoleToStderr } from './events';
import { Heartbeat } from './heartbeat';
import { TRAINER_EXIT } from './protocol';

let heartbeat: Heartbeat | undefined;

function fail(err: unknown): never {
  const e = classifyError(err);
  emit({ event: 'error', message: e.message, kind: e.kind });
  log(`error (${e.kind}): ${e.message}`);
  if (e.kind === 'internal' && err instanceof Error && err.stack) log(err.stack);
  heartbeat?.stop();
  process.exit(e.exitCode);
}

async function main(argv: string[]): Promise<void> {
  routeConsoleToStderr();
  // Stop promptly: the handler runs between steps (the loop yields after each one).
  process.on('SIGTERM', () => {
    log('stopped by SIGTERM');
    heartbeat?.stop();
    process.exit(TRAINER_EXIT.terminated);
  });
  process.on('SIGINT', () => {
    log('stopped by SIGINT');
    heartbeat?.stop();
    process.exit(130);
  });
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);

  if (argv.length !== 1 || argv[0] === '--help' || argv[0] === '-h') {
    if (argv[0] === '--help' || argv[0] === '-h') {
      process.stderr.write('Usage: node dist/trainer.js <runDir>\nTrains the run described by <runDir>/config.json; events as JSON lines on stdout.\n');
      process.exit(0);
    }
    throw configError(`Usage: node dist/trainer.js <runDir> (one argument, the run folder holding config.json); got ${argv.length} arguments.`);
  }
  const config = loadConfig(argv[0]);
  heartbeat = new Heartbeat(config.heartbeat_interval_ms);
  heartbeat.start(0);
  if (config.recipe === 'sft_transformer') {
    const { runSft } = await import('./recipes/sft');
    await runSft(config, heartbeat);
  } else {
    const { runObserver } = await import('./recipes/observer');
    await runObserver(config, heartbeat);
  }
  heartbeat.stop();
  // Native backends (Dawn, libtensorflow) may hold handles open; the work is done and written.
  process.exit(TRAINER_EXIT.ok);
}

// The same bundle runs the gradient workers of data-parallel training (./parallel/worker).
if (!isMainThread && (workerData as { kind?: string } | null)?.kind === GRADIENT_WORKER_KIND) {
  void import('./parallel/worker').then((w) => w.runGradientWorker());
} else {
  main(process.argv.slice(2)).catch(fail);
}
