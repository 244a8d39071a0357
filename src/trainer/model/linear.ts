// Dense matmul with a gradient that never asks for a transposed matmul. tfjs's own matMul
// gradient uses transpose flags, which fall off the wasm backend's XNNPACK path into a scalar
// loop (~20x slower, see ENVIRONMENT.md); an explicit tf.transpose followed by a plain 2-D
// matMul stays on the fast path. Other backends keep the built-in gradient.
import type { Tensor, Tensor2D, Tf } from './tf';

export type Linear = (x: Tensor2D, w: Tensor2D) => Tensor2D;

export function makeLinear(tf: Tf, explicitTranspose: boolean): Linear {
  if (!explicitTranspose) return (x, w) => tf.matMul(x, w);
  const op = tf.customGrad((x: any, w: any, save: any) => {
    save([x, w]);
    return {
      value: tf.matMul(x as Tensor2D, w as Tensor2D),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [xs, ws] = saved as Tensor2D[];
        const g = dy as Tensor2D;
        return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g)];
      },
    };
  });
  return (x, w) => op(x, w) as Tensor2D;
}
