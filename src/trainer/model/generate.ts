// Greedy generation with a key/value cache, batched. Prompts are left-padded so every row's
// next token sits in the same column; each row's positions start at 0 after its padding, and
// padding is masked out as attention keys. One prefill pass over the prompts, then one cheap
// step per generated token (attention over the cache instead of re-running the whole sequence).
import type { Tensor, Tensor2D, Tf } from './tf';
import type { Transformer } from './transformer';

export interface GenerateOptions {
  maxNewTokens: number;
  /** Generation of a row stops after this token (it is included in the output). */
  stopId: number;
  batchSize: number;
  /** Called between steps (heartbeat, event loop). */
  tick?: () => Promise<void>;
}

const NEG = -1e9;

/** Greedy continuations of `prompts` (token ids), in the same order. */
export async function generateGreedy(tf: Tf, model: Transformer, prompts: readonly ArrayLike<number>[], opts: GenerateOptions): Promise<number[][]> {
  const C = model.shape.contextLength;
  // Keep the end of over-long prompts (it holds the model-turn marker), leaving room for one token.
  const trimmed = prompts.map((p) => Array.from(p).slice(-(C - 1)));
  const order = trimmed.map((p, i) => ({ i, n: p.length })).sort((a, b) => a.n - b.n || a.i - b.i);
  const out: number[][] = new Array(prompts.length);
  for (let start = 0; start < order.length; start += opts.batchSize) {
    const group = order.slice(start, start + opts.batchSize);
    const results = await generateBatch(tf, model, group.map((g) => trimmed[g.i]), opts);
    group.forEach((g, k) => (out[g.i] = results[k]));
  }
  return out;
}

async function generateBatch(tf: Tf, model: Transformer, prompts: number[][], opts: GenerateOptions): Promise<number[][]> {
  const { dModel: D, heads: H, layers: L, contextLength: C } = model.shape;
  const dh = D / H;
  const scale = 1 / Math.sqrt(dh);
  const B = prompts.length;
  const T0 = Math.max(...prompts.map((p) => p.length));
  const lengths = prompts.map((p) => p.length);
  const inputs = new Int32Array(B * T0);
  const positions = new Int32Array(B * T0);
  // Additive key mask per row and column: 0 for real tokens, -1e9 for padding. Grows by one column per step.
  let keyMask: number[][] = prompts.map((p) => Array.from({ length: T0 }, (_, t) => (t < T0 - p.length ? NEG : 0)));
  prompts.forEach((p, b) => {
    const pad = T0 - p.length;
    for (let t = 0; t < T0; t++) {
      inputs[b * T0 + t] = t < pad ? 0 : p[t - pad];
      positions[b * T0 + t] = Math.max(0, t - pad);
    }
  });

  const embed = (ids: Int32Array, pos: Int32Array): Tensor2D =>
    tf.add(tf.gather(model.v('tok_emb'), tf.tensor1d(ids, 'int32')), tf.gather(model.v('pos_emb'), tf.tensor1d(pos, 'int32'))) as Tensor2D;
  // [B, 1, 1, keys]: broadcasts over heads and queries.
  const maskTensor = (rows: number[][]): Tensor => tf.reshape(tf.tensor2d(rows.flat(), [B, rows[0].length]), [B, 1, 1, rows[0].length]);
  const split = (qkv: Tensor2D, time: number) =>
    tf.split(qkv, 3, 1).map((t) => tf.reshape(tf.transpose(tf.reshape(t, [B, time, H, dh]), [0, 2, 1, 3]), [B * H, time, dh]));
  const block = (x: Tensor2D, l: number, attend: (q: Tensor, k: Tensor, v: Tensor) => { out: Tensor; k: Tensor; v: Tensor }, time: number) => {
    const h = model.layerNorm(x, `h${l}.ln1`);
    const qkv = tf.add(tf.matMul(h, model.v(`h${l}.attn.w_qkv`)), model.v(`h${l}.attn.b_qkv`)) as Tensor2D;
    const [q, k, v] = split(qkv, time);
    const a = attend(q, k, v);
    const merged = tf.reshape(tf.transpose(tf.reshape(a.out, [B, H, time, dh]), [0, 2, 1, 3]), [B * time, D]) as Tensor2D;
    let y = tf.add(x, tf.add(tf.matMul(merged, model.v(`h${l}.attn.w_out`)), model.v(`h${l}.attn.b_out`))) as Tensor2D;
    const h2 = model.layerNorm(y, `h${l}.ln2`);
    const pre = tf.add(tf.matMul(h2, model.v(`h${l}.mlp.w_in`)), model.v(`h${l}.mlp.b_in`));
    const act = tf.mul(pre, tf.sigmoid(tf.mul(pre, 1.702))) as Tensor2D;
    y = tf.add(y, tf.add(tf.matMul(act, model.v(`h${l}.mlp.w_out`)), model.v(`h${l}.mlp.b_out`))) as Tensor2D;
    return { y, k: a.k, v: a.v };
  };
  const softmaxAttend = (q: Tensor, k: Tensor, v: Tensor, mask: Tensor, queries: number, keys: number) => {
    const scores = tf.add(tf.reshape(tf.mul(tf.matMul(q, k, false, true), scale), [B, H, queries, keys]), mask);
    return tf.matMul(tf.reshape(tf.softmax(scores), [B * H, queries, keys]), v);
  };
  const nextTokens = (hiddenRows: Tensor2D) => tf.argMax(model.logits(model.layerNorm(hiddenRows, 'ln_f')), 1);

  // Prefill: all prompt positions at once, causal + padding mask; keep each layer's keys and values.
  let cacheK: Tensor[] = [];
  let cacheV: Tensor[] = [];
  const first = tf.tidy(() => {
    let x = embed(inputs, positions);
    const mask = tf.add(tf.reshape(model.causalMask(T0), [1, 1, T0, T0]), maskTensor(keyMask));
    for (let l = 0; l < L; l++) {
      const r = block(x, l, (q, k, v) => ({ out: softmaxAttend(q, k, v, mask, T0, T0), k, v }), T0);
      x = r.y;
      cacheK.push(tf.keep(r.k));
      cacheV.push(tf.keep(r.v));
    }
    const lastRows = tf.tensor1d(Array.from({ length: B }, (_, b) => b * T0 + T0 - 1), 'int32');
    return nextTokens(tf.gather(x, lastRows) as Tensor2D);
  });
  let ids = Array.from((await first.data()) as Int32Array);
  first.dispose();

  const generated: number[][] = prompts.map(() => []);
  const done = new Array<boolean>(B).fill(false);
  for (let step = 0; ; step++) {
    for (let b = 0; b < B; b++) {
      if (done[b]) continue;
      generated[b].push(ids[b]);
      if (ids[b] === opts.stopId || generated[b].length >= opts.maxNewTokens || lengths[b] + generated[b].length >= C) done[b] = true;
    }
    if (done.every(Boolean)) break;
    await opts.tick?.();
    // Feed each row's newest token at its own position; finished rows ride along, ignored.
    const feed = Int32Array.from(ids);
    const pos = Int32Array.from(lengths.map((n, b) => Math.min(C - 1, n + generated[b].length - 1)));
    keyMask = keyMask.map((row) => [...row, 0]);
    const keys = keyMask[0].length;
    const result = tf.tidy(() => {
      let x = embed(feed, pos);
      const mask = maskTensor(keyMask);
      const newK: Tensor[] = [];
      const newV: Tensor[] = [];
      for (let l = 0; l < L; l++) {
        const r = block(
          x,
          l,
          (q, k, v) => {
            const K = tf.concat([cacheK[l], k], 1);
            const V = tf.concat([cacheV[l], v], 1);
            return { out: softmaxAttend(q, K, V, mask, 1, keys), k: K, v: V };
          },
          1,
        );
        x = r.y;
        newK.push(r.k);
        newV.push(r.v);
      }
      return { next: nextTokens(x), newK, newV };
    });
    for (const t of [...cacheK, ...cacheV]) t.dispose();
    cacheK = result.newK;
    cacheV = result.newV;
    ids = Array.from((await result.next.data()) as Int32Array);
    result.next.dispose();
  }
  for (const t of [...cacheK, ...cacheV]) t.dispose();
  return generated;
}
