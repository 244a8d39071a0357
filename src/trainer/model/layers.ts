// Layer norm and bias addition with hand-written gradients. Autodiff of the composed ops
// reduces over the batch axis with tf.sum(axis 0), which the wasm backend does by transposing
// first; here those reductions are products with a row of ones (the fast 2-D matmul path),
// and layer norm's backward pass is the closed form instead of a dozen small ops.
import { COLUMN_SUMS_KERNEL } from '../kernels/wasmKernels';
import type { Tensor, Tensor1D, Tensor2D, Tf } from './tf';

export interface Layers {
  /** x [rows, d] + b [d]. */
  addBias(x: Tensor2D, b: Tensor1D): Tensor2D;
  /** Layer norm over the last axis of x [rows, d], with gain g [d] and bias b [d]. */
  layerNorm(x: Tensor2D, g: Tensor1D, b: Tensor1D): Tensor2D;
  /** x [batch*time, d] + p [time, d] repeated for each batch row. */
  addPositions(x: Tensor2D, p: Tensor2D, batch: number): Tensor2D;
}

const EPSILON = 1e-5;

/** The same layers from plain tfjs ops, differentiated by autodiff (the reference in tests). */
export function makePlainLayers(tf: Tf): Layers {
  return {
    addBias: (x, b) => tf.add(x, b) as Tensor2D,
    layerNorm: (x, g, b) => {
      const mean = tf.mean(x, -1, true);
      const centered = tf.sub(x, mean);
      const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), EPSILON));
      return tf.add(tf.mul(tf.mul(centered, rstd), g), b) as Tensor2D;
    },
    addPositions: (x, p, batch) => {
      const [time, d] = p.shape;
      return tf.reshape(tf.add(tf.reshape(x, [batch, time, d]), p), [batch * time, d]) as Tensor2D;
    },
  };
}

export function makeLayers(tf: Tf): Layers {
  // Column sums of m [rows, d] as [d]: the SIMD kernel on wasm, a product with a row of ones elsewhere.
  const simd = tf.getBackend() === 'wasm' && !!tf.getKernel(COLUMN_SUMS_KERNEL, 'wasm');
  const columnSums = (m: Tensor2D): Tensor1D =>
    simd ? (tf.engine().runKernel(COLUMN_SUMS_KERNEL, { x: m }, {}) as Tensor1D) : tf.reshape(tf.matMul(tf.ones([1, m.shape[0]]), m), [m.shape[1]]);

  const addBias = tf.customGrad((x: any, b: any) => ({
    value: tf.add(x as Tensor2D, b as Tensor1D),
    gradFunc: (dy: Tensor | Tensor[]) => [dy as Tensor, columnSums(dy as Tensor2D)],
  }));

  const layerNorm = tf.customGrad((x: any, g: any, b: any, save: any) => {
    const xs = x as Tensor2D;
    const mean = tf.mean(xs, -1, true);
    const centered = tf.sub(xs, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), EPSILON));
    const xhat = tf.mul(centered, rstd) as Tensor2D;
    save([xhat, rstd, g as Tensor]);
    return {
      value: tf.add(tf.mul(xhat, g as Tensor1D), b as Tensor1D),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [xh, r, gain] = saved as [Tensor2D, Tensor2D, Tensor1D];
        const d = dy as Tensor2D;
        const dxhat = tf.mul(d, gain);
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))
        const dx = tf.mul(r, tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(xh, tf.mean(tf.mul(dxhat, xh), -1, true))));
        return [dx, columnSums(tf.mul(d, xh) as Tensor2D), columnSums(d)];
      },
    };
  });

  const addPositions = (batch: number) =>
    tf.customGrad((x: any, p: any) => {
      const [time, d] = (p as Tensor2D).shape;
      return {
        value: tf.reshape(tf.add(tf.reshape(x as Tensor, [batch, time, d]), p as Tensor), [batch * time, d]),
        gradFunc: (dy: Tensor | Tensor[]) => [dy as Tensor, tf.reshape(columnSums(tf.reshape(dy as Tensor, [batch, time * d]) as Tensor2D), [time, d])],
      };
    });

  return {
    addPositions: (x, p, batch) => addPositions(batch)(x, p) as Tensor2D,
    addBias: (x, b) => addBias(x, b) as Tensor2D,
    layerNorm: (x, g, b) => layerNorm(x, g, b) as Tensor2D,
  };
}
