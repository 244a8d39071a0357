// Config overrides (`--set`), the external command template, the status machine and the
// outcome of a finished process.
import * as assert from 'node:assert/strict';
import { applyOverrides, buildTrainerConfig, defaultTunables } from '../../../src/core/run/trainerConfig';
import { expandCommand, splitCommandLine, formatCommandLine } from '../../../src/core/run/externalCommand';
import { canResume, transition } from '../../../src/core/run/status';
import { decideOutcome } from '../../../src/core/run/outcome';
import { parseTrainerEvent } from '../../../src/core/run/trainerEvents';

describe('trainer config overrides', () => {
  it('applies full and short keys, numbers and extras, without touching the defaults', () => {
    const base = defaultTunables('sft_transformer');
    const c = applyOverrides(base, ['training.learning_rate=1e-3', 'layers=4', 'd_model=128', 'seed=9', 'label_field=answer_correct', 'allow_software_gpu=true']);
    assert.equal(c.training.learning_rate, 0.001);
    assert.equal(c.model.layers, 4);
    assert.equal(c.seed, 9);
    assert.deepEqual(c.extras, { label_field: 'answer_correct', allow_software_gpu: true });
    assert.equal(base.model.layers, 2);
    const config = buildTrainerConfig({ runId: 'r', recipe: 'observer_classifier', backend: 'wasm', tunables: c, data: { train: 'data/train.jsonl' } });
    assert.equal(config.label_field, 'answer_correct');
    assert.equal(config.resume, false);
  });

  it('steps and epochs replace each other', () => {
    const c = applyOverrides(defaultTunables('sft_transformer'), ['epochs=3']);
    assert.equal(c.training.steps, undefined);
    assert.equal(c.training.epochs, 3);
    const d = applyOverrides(c, ['steps=10']);
    assert.equal(d.training.steps, 10);
    assert.equal(d.training.epochs, undefined);
  });

  it('says exactly what is wrong with a bad setting', () => {
    const base = defaultTunables('sft_transformer');
    assert.throws(() => applyOverrides(base, ['lerning_rate=1']), /Unknown setting "lerning_rate". Settable keys: seed, training.steps/);
    assert.throws(() => applyOverrides(base, ['batch_size=2.5']), /training.batch_size must be a whole number/);
    assert.throws(() => applyOverrides(base, ['learning_rate=-1']), /at least 1e-9/);
    assert.throws(() => applyOverrides(base, ['heads=5']), /model.heads \(5\) must divide model.d_model \(64\)/);
    assert.throws(() => applyOverrides(base, ['steps']), /not key=value/);
    assert.throws(() => applyOverrides(base, ['allow_software_gpu=maybe']), /true or false/);
  });
});

describe('external command', () => {
  it('fills placeholders inside arguments and refuses unknown or unavailable ones', () => {
    const argv = expandCommand(['python3', 'train.py', '--data=${train}', '--out', '${output_dir}', '${run_id}'], { train: '/r/data/train.jsonl', output_dir: '/r', run_id: 'run-1' });
    assert.deepEqual(argv, ['python3', 'train.py', '--data=/r/data/train.jsonl', '--out', '/r', 'run-1']);
    assert.throws(() => expandCommand(['x', '${nope}'], {}), /Unknown placeholder \$\{nope\} in argument 2/);
    assert.throws(() => expandCommand(['x', '${val}'], {}), /uses \$\{val\}.*no such split/);
    assert.throws(() => expandCommand([], {}), /command is empty/);
  });

  it('splits a typed command line without any shell expansion', () => {
    assert.deepEqual(splitCommandLine(`python3 "my trainer.py" --name 'a b' --x=\${train} $HOME | rm`), ['python3', 'my trainer.py', '--name', 'a b', '--x=${train}', '$HOME', '|', 'rm']);
    assert.deepEqual(splitCommandLine('  a   b  '), ['a', 'b']);
    assert.deepEqual(splitCommandLine('a ""'), ['a', '']);
    assert.throws(() => splitCommandLine('a "b'), /unclosed " quote/);
  });

  it('writes an argument array as a line that reads back as the same array (shown before a command runs)', () => {
    const argv = ['python3', 'my trainer.py', '--name', "it's", 'C:\\data\\x', 'say "hi"', '', '--x=${train}'];
    const line = formatCommandLine(argv);
    assert.equal(line, 'python3 "my trainer.py" --name "it\'s" "C:\\\\data\\\\x" "say \\"hi\\"" "" --x=${train}');
    assert.deepEqual(splitCommandLine(line), argv);
  });
});

describe('run status machine', () => {
  it('allows the lifecycle and resumes, and refuses the impossible with the options', () => {
    assert.equal(transition('r', 'queued', 'running'), 'running');
    assert.equal(transition('r', 'running', 'interrupted'), 'interrupted');
    assert.equal(transition('r', 'interrupted', 'queued'), 'queued');
    assert.throws(() => transition('r', 'completed', 'queued'), /Run r is completed; it cannot become queued. It is final./);
    assert.throws(() => transition('r', 'cancelled', 'completed'), /From cancelled it can become: queued/);
    assert.equal(canResume('failed'), true);
    assert.equal(canResume('completed'), false);
  });
});

describe('run outcome', () => {
  const exit = (code: number | null, signal: string | null = null) => ({ attempt: 1, code, signal, endedAt: '' });
  it('exit 0 is completed; exit 0 after our cancel is cancelled unless the trainer said completed', () => {
    assert.equal(decideOutcome({ attempt: 1, exit: exit(0), lastLogLines: [] })!.status, 'completed');
    const kill = { attempt: 1, reason: 'cancel' as const, at: '' };
    assert.equal(decideOutcome({ attempt: 1, exit: exit(0), kill, lastLogLines: [] })!.status, 'cancelled');
    assert.equal(decideOutcome({ attempt: 1, exit: exit(null, 'SIGTERM'), kill, lastLogLines: [] })!.status, 'cancelled');
    assert.equal(decideOutcome({ attempt: 1, exit: exit(0), kill, completedEvent: true, lastLogLines: [] })!.status, 'completed');
  });

  it('tells OOM, crashes, trainer errors and the kernel OOM killer apart', () => {
    const oom = decideOutcome({ attempt: 1, exit: exit(null, 'SIGABRT'), lastLogLines: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'] })!;
    assert.equal(oom.kind, 'oom');
    assert.equal(decideOutcome({ attempt: 1, exit: exit(1), lastLogLines: ['torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate'] })!.kind, 'oom');
    assert.match(decideOutcome({ attempt: 1, exit: exit(null, 'SIGKILL'), lastLogLines: [] })!.reason!, /SIGKILL, which Tunix did not send.*OOM killer/);
    assert.equal(decideOutcome({ attempt: 1, exit: exit(143), lastLogLines: [] })!.reason, 'stopped by SIGTERM, which Tunix did not send (exit code 143)');
    assert.equal(decideOutcome({ attempt: 1, exit: exit(null, 'SIGSEGV'), lastLogLines: [] })!.reason, 'crashed (SIGSEGV)');
    const te = decideOutcome({ attempt: 1, exit: exit(1), errorEvent: { message: 'loss became NaN at step 40', kind: 'internal' }, lastLogLines: [] })!;
    assert.equal(te.kind, 'trainer-error');
    assert.match(te.reason!, /loss became NaN at step 40 \(exit code 1\)/);
    const py = decideOutcome({ attempt: 1, exit: exit(1), lastLogLines: ['Traceback (most recent call last):', '  File "t.py", line 3', 'ValueError: bad shape'] })!;
    assert.equal(py.reason, 'exited with code 1: ValueError: bad shape');
  });

  it('no exit record and no process is interrupted; files from an earlier attempt are ignored', () => {
    assert.equal(decideOutcome({ attempt: 2, exit: exit(0), lastLogLines: [] }), undefined, 'attempt 1 exit.json does not end attempt 2');
    assert.equal(decideOutcome({ attempt: 2, exit: exit(0), processGone: true, lastLogLines: [] })!.status, 'interrupted');
  });
});

describe('trainer events', () => {
  it('parses protocol lines and ignores everything else', () => {
    assert.deepEqual(parseTrainerEvent('{"event":"progress","step":5,"total_steps":10,"loss":0.5,"eta_seconds":3}'), { event: 'progress', step: 5, total_steps: 10, loss: 0.5, eta_seconds: 3 });
    assert.equal(parseTrainerEvent('step 5 loss 0.5'), undefined);
    assert.equal(parseTrainerEvent('{"event":"dance"}'), undefined);
    assert.equal(parseTrainerEvent('{"event":"progress"}'), undefined, 'progress needs a step');
    assert.equal(parseTrainerEvent('{"event": "error", "message": "boom", "kind": "data"}')!.event, 'error');
  });
});
