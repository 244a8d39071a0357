// AdamW (decoupled weight decay, Loshchilov & Hutter) with global-norm gradient clipping.
// Its moments are plain variables, so a checkpoint saves and restores them exactly.
import type { NamedVariables, Scalar, Tensor, Tf, Variable } from '../model/tf';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  /** Clip the global gradient norm to this value; 0 turns clipping off. */
  clipNorm: number;
  /** Which parameters get weight decay. */
  decays: (name: string) => boolean;
}

export class AdamW {
  readonly m = new Map<string, Variable>();
  readonly v = new Map<string, Variable>();

  constructor(
    private readonly tf: Tf,
    private readonly params: NamedVariables,
    private readonly options: AdamWOptions,
  ) {
    for (const [name, p] of params) {
      this.m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false, `${p.name}/adam_m`)));
      this.v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(p), false, `${p.name}/adam_v`)));
    }
  }

  /** State tensors by checkpoint name. */
  stateTensors(): Map<string, Variable> {
    const out = new Map<string, Variable>();
    for (const [name, t] of this.m) out.set(`m/${name}`, t);
    for (const [name, t] of this.v) out.set(`v/${name}`, t);
    return out;
  }

  /**
   * Applies one update for `grads` at 1-based optimizer step `t`. Returns the global gradient
   * norm before clipping (a scalar tensor; call inside tf.tidy and keep what you return).
   */
  apply(grads: Record<string, Tensor>, t: number, learningRate: number): Scalar {
    const tf = this.tf;
    const { beta1, beta2, epsilon, weightDecay, clipNorm, decays } = this.options;
    const names = [...this.params.keys()];
    // Pairwise sums, not tf.addN: WebGPU in compatibility mode allows only 8 storage buffers per kernel.
    let sumOfSquares = tf.scalar(0);
    for (const n of names) sumOfSquares = tf.add(sumOfSquares, tf.sum(tf.square(grads[n])));
    const norm = tf.sqrt(sumOfSquares) as Scalar;
    const scale = clipNorm > 0 ? tf.minimum(1, tf.div(clipNorm, tf.add(norm, 1e-6))) : tf.scalar(1);
    const c1 = 1 / (1 - beta1 ** t);
    const c2 = 1 / (1 - beta2 ** t);
    for (const name of names) {
      const p = this.params.get(name)!;
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      const g = tf.mul(grads[name], scale);
      const mNew = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
      const vNew = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
      m.assign(mNew);
      v.assign(vNew);
      let update = tf.div(tf.mul(mNew, c1), tf.add(tf.sqrt(tf.mul(vNew, c2)), epsilon));
      if (weightDecay > 0 && decays(name)) update = tf.add(update, tf.mul(p, weightDecay));
      p.assign(tf.sub(p, tf.mul(update, learningRate)));
    }
    return norm;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
