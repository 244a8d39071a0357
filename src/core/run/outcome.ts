// Decides how a run's process ended from what the run folder says (exit.json, kill.json, the
// trainer's last events and the tail of its log), in words a user can act on. Pure, so the
// CLI, the extension and a reloaded window reach the same verdict.
import * as os from 'node:os';
import type { ExitInfo, KillInfo } from './runFolder';
import type { FailureKind, RunOutcome } from './types';

export interface OutcomeEvidence {
  attempt: number;
  exit?: ExitInfo;
  kill?: KillInfo;
  /** The trainer printed `completed`. */
  completedEvent?: boolean;
  /** The last `error` event the trainer printed. */
  errorEvent?: { message: string; kind?: string };
  /** The last lines of the combined log (stdout + stderr). */
  lastLogLines: string[];
  /** True when the process is known to be gone but exit.json was never written. */
  processGone?: boolean;
}

const OOM_PATTERNS: Array<[RegExp, string]> = [
  [/JavaScript heap out of memory|Reached heap limit|Allocation failed - process out of memory/i, 'ran out of memory (JavaScript heap limit)'],
  [/CUDA out of memory|CUDA_ERROR_OUT_OF_MEMORY|cudaErrorMemoryAllocation/i, 'ran out of GPU memory (CUDA)'],
  [/RESOURCE_EXHAUSTED|ResourceExhaustedError|Resource exhausted: Out of memory/i, 'ran out of device memory (XLA/TensorFlow RESOURCE_EXHAUSTED)'],
  [/\bMemoryError\b/, 'ran out of memory (Python MemoryError)'],
  [/std::bad_alloc|Cannot allocate memory|out of memory/i, 'ran out of memory'],
  [/WebAssembly\.Memory|wasm.*(memory|OOM)|RangeError: Array buffer allocation failed/i, 'ran out of memory (WebAssembly/ArrayBuffer allocation failed)'],
];

function oomReason(lines: readonly string[]): string | undefined {
  const text = lines.join('\n');
  for (const [re, reason] of OOM_PATTERNS) if (re.test(text)) return reason;
  return undefined;
}

/**
 * The most telling error line of a log tail: the last one that mentions an error (a Python
 * traceback's final line, Node's "TypeError: ...", argparse's "prog: error: ...").
 */
function errorLine(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].replace(/^\[stderr\] /, '').trim();
    if (l.startsWith('--- attempt') || /^Traceback \(most recent call last\)/.test(l)) continue;
    if (/\b(\w*Error|\w*Exception|error|fatal|panic)\b/i.test(l)) return l.slice(0, 300);
  }
  return undefined;
}

function fail(kind: FailureKind, reason: string, e: OutcomeEvidence): RunOutcome {
  return {
    status: 'failed',
    kind,
    reason,
    exitCode: e.exit?.code ?? null,
    signal: e.exit?.signal ?? null,
    lastLogLines: e.lastLogLines,
  };
}

/** The outcome, or undefined when the evidence says the run has not ended. */
export function decideOutcome(e: OutcomeEvidence): RunOutcome | undefined {
  const exit = e.exit && e.exit.attempt === e.attempt ? e.exit : undefined;
  const kill = e.kill && e.kill.attempt === e.attempt ? e.kill : undefined;
  if (!exit && !e.processGone) return undefined;
  const base = { exitCode: exit?.code ?? null, signal: exit?.signal ?? null, lastLogLines: e.lastLogLines };
  // Exit 0 is success unless we killed it (a trainer may exit 0 on SIGTERM); a run that
  // reported `completed` before the kill landed did finish.
  if (exit && exit.code === 0 && !exit.spawnError && (!kill || e.completedEvent)) {
    return { status: 'completed', exitCode: exit.code, signal: exit.signal };
  }
  if (kill?.reason === 'cancel') return { status: 'cancelled', reason: 'cancelled by the user', ...base };
  if (kill?.reason === 'hang') return fail('hang', kill.detail ?? 'stopped sending heartbeats; the run was ended', e);
  if (!exit) {
    return {
      status: 'interrupted',
      reason: 'the run stopped without recording how it ended (its launcher was killed or the machine restarted); resume continues from the latest checkpoint',
      ...base,
    };
  }
  if (exit.spawnError) return fail('spawn', `could not start the trainer command: ${exit.spawnError}`, e);
  const oom = oomReason(e.lastLogLines);
  if (exit.signal) {
    if (oom) return fail('oom', `${oom}; killed by ${exit.signal}`, e);
    if (exit.signal === 'SIGKILL') {
      return fail('signal', 'killed by SIGKILL, which Tunix did not send (someone ended it, or the system ran out of memory: the kernel OOM killer sends SIGKILL)', e);
    }
    if (exit.signal === 'SIGSEGV' || exit.signal === 'SIGBUS' || exit.signal === 'SIGILL') return fail('signal', `crashed (${exit.signal})`, e);
    return fail('signal', `killed by ${exit.signal}`, e);
  }
  if (oom) return fail('oom', `${oom} (exit code ${exit.code})`, e);
  if (e.errorEvent) {
    const kind: FailureKind = e.errorEvent.kind === 'oom' ? 'oom' : exit.code === 2 ? 'bad-config' : 'trainer-error';
    return fail(kind, `${e.errorEvent.message} (exit code ${exit.code})`, e);
  }
  // 128 + N: the trainer ended itself on signal N (Python and the built-in trainer exit 143 on SIGTERM).
  const signalName = exit.code !== null && exit.code > 128 && exit.code < 160 ? Object.entries(os.constants.signals).find(([, n]) => n === exit.code! - 128)?.[0] : undefined;
  if (signalName) return fail('signal', `stopped by ${signalName}, which Tunix did not send (exit code ${exit.code})`, e);
  const line = errorLine(e.lastLogLines);
  if (exit.code === 2) return fail('bad-config', `the trainer refused its config or data (exit code 2)${line ? `: ${line}` : ''}`, e);
  return fail('exit-code', `exited with code ${exit.code}${line ? `: ${line}` : ''}`, e);
}
