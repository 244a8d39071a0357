// A gradient worker: its own tfjs instance (wasm backends cannot share threads under Node), a
// copy of the model and the training examples. Per step it loads the current parameters,
// computes the gradient of its shard of the batch and writes it to shared memory.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../backend';
import { makeTokenBatch } from '../data/batches';
import { Transformer } from '../model/transformer';
import type { Tensor } from '../model/tf';
import type { FromWorker, GradientWorkerData, ToWorker } from './messages';

export async function runGradientWorker(): Promise<void> {
  const data = workerData as GradientWorkerData;
  const port = parentPort!;
  const send = (m: FromWorker) => port.postMessage(m);
  try {
    const backend = await selectBackend(data.backend, { allowSoftwareGpu: false, log: () => {} });
    const tf = backend.tf;
    const params = new Float32Array(data.params);
    const grads = new Float32Array(data.grads);
    const offsets: number[] = [];
    let total = 0;
    for (const shape of data.shapes) {
      offsets.push(total);
      total += shape.reduce((a, b) => a * b, 1);
    }
    if (total * 4 > params.byteLength) throw new Error(`parameter buffer too small (${params.byteLength} bytes for ${total} floats)`);
    // Placeholder values: every step starts by loading the main thread's parameters.
    const weights = new Map(data.names.map((name, i) => [name, { shape: data.shapes[i], values: new Float32Array(data.shapes[i].reduce((a, b) => a * b, 1)) }]));
    const model = new Transformer(tf, data.shape, weights, { explicitTranspose: backend.explicitTranspose });
    const variables = data.names.map((n) => model.variables.get(n)!);
    const C = data.shape.contextLength;
    port.on('message', (m: ToWorker) => {
      try {
        tf.tidy(() => {
          data.names.forEach((_, i) => variables[i].assign(tf.tensor(params.subarray(offsets[i], offsets[i] + variables[i].size), data.shapes[i], 'float32')));
        });
        const batch = makeTokenBatch(m.indices.map((i) => data.examples[i]), C);
        let lossSum = 0;
        tf.tidy(() => {
          const { value, grads: g } = tf.variableGrads(() => model.loss(batch.inputs, batch.targets, batch.weights, batch.batch, batch.time, m.normalizer), variables);
          variables.forEach((v, i) => grads.set((g[v.name] as Tensor).dataSync() as Float32Array, offsets[i]));
          lossSum = value.dataSync()[0];
        });
        send({ type: 'done', lossSum, tokens: batch.tokenCount });
      } catch (err) {
        send({ type: 'error', message: (err as Error).message });
      }
    });
    send({ type: 'ready' });
  } catch (err) {
    send({ type: 'error', message: (err as Error).message });
  }
}
