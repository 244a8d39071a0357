// The TensorFlow.js namespace the trainer computes with. It is passed around instead of
// imported, because tfjs-node(-gpu) brings its own copy of tfjs-core: its backend only exists
// in the namespace that package returns.
import type * as tfjs from '@tensorflow/tfjs';

export type Tf = typeof tfjs;
export type Tensor = tfjs.Tensor;
export type Tensor1D = tfjs.Tensor1D;
export type Tensor2D = tfjs.Tensor2D;
export type Scalar = tfjs.Scalar;
export type Variable = tfjs.Variable;

/** Named trainable tensors; the order is the checkpoint order. */
export type NamedVariables = Map<string, Variable>;
