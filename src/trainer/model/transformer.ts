// A small decoder-only transformer language model: learned token and position embeddings,
// pre-layer-norm blocks (causal multi-head self-attention, GELU MLP), a final layer norm and
// an output projection. Built from plain tfjs ops so it runs on every backend.
//
// Choices made for speed on the wasm backend (ENVIRONMENT.md, measured):
// - token embedding = one-hot x matrix (tf.gather's gradient is missing on wasm);
// - every dense product is a 2-D matmul with an explicit-transpose gradient (./linear);
// - the causal mask is one cached [T, T] tensor per sequence length.
import { createRng } from '../../core/generate/prng';
import { makeLayers, makePlainLayers, type Layers } from './layers';
import { makeLinear, type Linear } from './linear';
import type { NamedVariables, Scalar, Tensor, Tensor1D, Tensor2D, Tf } from './tf';

export interface TransformerShape {
  vocabSize: number;
  layers: number;
  dModel: number;
  heads: number;
  mlp: number;
  contextLength: number;
}

export interface TransformerOptions {
  /** Use explicit transposes in matmul gradients (the wasm backend). */
  explicitTranspose: boolean;
  /** Layer norm, biases and positions from plain ops with autodiff instead of hand-written gradients (a reference for tests). */
  plainLayers?: boolean;
}

/** Initial values, drawn in JavaScript from the seed so every backend starts from the same numbers. */
export function initialWeights(shape: TransformerShape, seed: number): Map<string, { shape: number[]; values: Float32Array }> {
  const rng = createRng(seed);
  const normal = (n: number, std: number) => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      // Box-Muller: two independent standard normals per pair of uniforms.
      const u = 1 - rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      out[i] = r * Math.cos(2 * Math.PI * v) * std;
      if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v) * std;
    }
    return out;
  };
  const { vocabSize: V, dModel: D, mlp: M, contextLength: C, layers: L } = shape;
  const std = 0.02;
  // Residual projections are scaled down with depth (GPT-2), so the residual stream starts calm.
  const residualStd = std / Math.sqrt(2 * L);
  const w = new Map<string, { shape: number[]; values: Float32Array }>();
  const put = (name: string, dims: number[], values: Float32Array) => w.set(name, { shape: dims, values });
  const ones = (n: number) => new Float32Array(n).fill(1);
  const zeros = (n: number) => new Float32Array(n);
  put('tok_emb', [V, D], normal(V * D, std));
  put('pos_emb', [C, D], normal(C * D, std));
  for (let l = 0; l < L; l++) {
    put(`h${l}.ln1.g`, [D], ones(D));
    put(`h${l}.ln1.b`, [D], zeros(D));
    put(`h${l}.attn.w_qkv`, [D, 3 * D], normal(D * 3 * D, std));
    put(`h${l}.attn.b_qkv`, [3 * D], zeros(3 * D));
    put(`h${l}.attn.w_out`, [D, D], normal(D * D, residualStd));
    put(`h${l}.attn.b_out`, [D], zeros(D));
    put(`h${l}.ln2.g`, [D], ones(D));
    put(`h${l}.ln2.b`, [D], zeros(D));
    put(`h${l}.mlp.w_in`, [D, M], normal(D * M, std));
    put(`h${l}.mlp.b_in`, [M], zeros(M));
    put(`h${l}.mlp.w_out`, [M, D], normal(M * D, residualStd));
    put(`h${l}.mlp.b_out`, [D], zeros(D));
  }
  put('ln_f.g', [D], ones(D));
  put('ln_f.b', [D], zeros(D));
  put('head.w', [D, V], normal(D * V, std));
  put('head.b', [V], zeros(V));
  return w;
}

export class Transformer {
  private static instances = 0;
  readonly variables: NamedVariables = new Map();
  private readonly linear: Linear;
  private readonly layers: Layers;
  private readonly masks = new Map<number, Tensor>();

  constructor(
    private readonly tf: Tf,
    readonly shape: TransformerShape,
    weights: Map<string, { shape: number[]; values: Float32Array }>,
    options: TransformerOptions,
  ) {
    if (shape.dModel % shape.heads !== 0) throw new Error(`heads (${shape.heads}) must divide d_model (${shape.dModel})`);
    this.linear = makeLinear(tf, options.explicitTranspose);
    this.layers = options.plainLayers ? makePlainLayers(tf) : makeLayers(tf);
    // tfjs variable names are global per process: a per-instance prefix lets models coexist (tests).
    const prefix = `transformer${Transformer.instances++}`;
    for (const [name, w] of weights) this.variables.set(name, tf.tidy(() => tf.variable(tf.tensor(w.values, w.shape, 'float32'), true, `${prefix}/${name}`)));
  }

  /** Parameters that get weight decay: the matrices of dense layers (not embeddings, norms or biases). */
  static decays(name: string): boolean {
    return /\.w_|^head\.w$/.test(name);
  }

  get parameterCount(): number {
    let n = 0;
    for (const v of this.variables.values()) n += v.size;
    return n;
  }

  /** Multiply-adds x 2 per token for one forward pass at sequence length `time` (dense layers + attention). */
  flopsPerTokenForward(time: number): number {
    const { layers: L, dModel: D, mlp: M, vocabSize: V } = this.shape;
    const dense = 2 * (V * D + L * (3 * D * D + D * D + 2 * D * M) + D * V);
    const attention = 2 * L * 2 * time * D; // QK^T and PV over `time` keys
    return dense + attention;
  }

  /** A parameter by name (generation reads them directly). */
  v(name: string): Tensor2D {
    const v = this.variables.get(name);
    if (!v) throw new Error(`missing parameter ${name}`);
    return v as unknown as Tensor2D;
  }

  causalMask(time: number): Tensor {
    let mask = this.masks.get(time);
    if (!mask) {
      const values = new Float32Array(time * time);
      for (let i = 0; i < time; i++) for (let j = i + 1; j < time; j++) values[i * time + j] = -1e9;
      mask = this.tf.keep(this.tf.tensor2d(values, [time, time]));
      this.masks.set(time, mask);
    }
    return mask;
  }

  layerNorm(x: Tensor2D, prefix: string): Tensor2D {
    return this.layers.layerNorm(x, this.v(`${prefix}.g`) as unknown as Tensor1D, this.v(`${prefix}.b`) as unknown as Tensor1D);
  }

  /** x W + b for the parameters `${prefix}.w…`/`${prefix}.b…` named in full. */
  private dense(x: Tensor2D, weight: string, bias: string): Tensor2D {
    return this.layers.addBias(this.linear(x, this.v(weight)), this.v(bias) as unknown as Tensor1D);
  }

  /** Final hidden states [batch*time, d_model] for input ids [batch*time] (row-major). */
  hidden(inputs: Int32Array, batch: number, time: number): Tensor2D {
    const tf = this.tf;
    const { vocabSize: V, dModel: D, heads: H, layers: L } = this.shape;
    if (time > this.shape.contextLength) throw new Error(`sequence length ${time} exceeds the context length ${this.shape.contextLength}`);
    const dh = D / H;
    const ids = tf.tensor1d(inputs, 'int32');
    const oneHot = tf.oneHot(ids, V) as Tensor2D;
    let x = this.linear(oneHot, this.v('tok_emb'));
    const positions = tf.slice(this.v('pos_emb'), [0, 0], [time, D]);
    x = this.layers.addPositions(x, positions as Tensor2D, batch);
    const mask = this.causalMask(time);
    const scale = 1 / Math.sqrt(dh);
    for (let l = 0; l < L; l++) {
      const h = this.layerNorm(x, `h${l}.ln1`);
      const qkv = this.dense(h, `h${l}.attn.w_qkv`, `h${l}.attn.b_qkv`);
      const [q, k, vv] = tf.split(qkv, 3, 1).map((t) => tf.reshape(tf.transpose(tf.reshape(t, [batch, time, H, dh]), [0, 2, 1, 3]), [batch * H, time, dh]));
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), scale), mask);
      const attended = tf.matMul(tf.softmax(scores), vv); // [B*H, T, dh]
      const merged = tf.reshape(tf.transpose(tf.reshape(attended, [batch, H, time, dh]), [0, 2, 1, 3]), [batch * time, D]) as Tensor2D;
      x = tf.add(x, this.dense(merged, `h${l}.attn.w_out`, `h${l}.attn.b_out`)) as Tensor2D;
      const h2 = this.layerNorm(x, `h${l}.ln2`);
      const pre = this.dense(h2, `h${l}.mlp.w_in`, `h${l}.mlp.b_in`);
      // GELU, sigmoid approximation: x * sigmoid(1.702 x).
      const act = tf.mul(pre, tf.sigmoid(tf.mul(pre, 1.702))) as Tensor2D;
      x = tf.add(x, this.dense(act, `h${l}.mlp.w_out`, `h${l}.mlp.b_out`)) as Tensor2D;
    }
    return this.layerNorm(x, 'ln_f');
  }

  /** Next-token logits [rows, vocab] for hidden states [rows, d_model]. */
  logits(hidden: Tensor2D): Tensor2D {
    return this.dense(hidden, 'head.w', 'head.b');
  }

  /**
   * Cross-entropy summed over the weighted (completion) positions and divided by `normalizer`
   * (default: their count, i.e. the mean). A shard of a batch split across threads passes the
   * whole batch's count, so the shards' losses and gradients add up to the batch's.
   */
  loss(inputs: Int32Array, targets: Int32Array, weights: Float32Array, batch: number, time: number, normalizer?: number): Scalar {
    const tf = this.tf;
    const logits = this.logits(this.hidden(inputs, batch, time));
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.tensor1d(targets, 'int32'), this.shape.vocabSize)), 1);
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    const divisor = Math.max(1, normalizer ?? total);
    const scaled = tf.tensor1d(weights.map((w) => w / divisor));
    return tf.neg(tf.sum(tf.mul(picked, scaled))) as Scalar;
  }

  dispose(): void {
    for (const m of this.masks.values()) m.dispose();
    this.masks.clear();
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }
}
