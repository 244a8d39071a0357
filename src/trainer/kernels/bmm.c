// Batched float32 matrix product for the tfjs wasm backend, with WebAssembly SIMD.
//
// tfjs-backend-wasm sends every batched or transposed matmul (attention, and tfjs's own matmul
// gradient) through a scalar loop at ~2-3 GFLOP/s; only 2-D untransposed products reach
// XNNPACK. This kernel runs in the same linear memory as tfjs (the memory is imported), so it
// reads the tensors in place: C[b] = op(A[b]) x op(B[b]) for every batch entry b.
//
// It must never touch memory it was not given: it has no data, no stack use and no calls
// (build-kernels.mjs checks the compiled module for that). Rebuild with
//   node src/trainer/kernels/build-kernels.mjs   (needs clang and lld)
#include <wasm_simd128.h>

// dst [cols, rows] = transpose of src [rows, cols], in 8x8 blocks for locality.
static void transpose(const float *src, float *dst, int rows, int cols) {
  for (int r0 = 0; r0 < rows; r0 += 8) {
    int r1 = r0 + 8 < rows ? r0 + 8 : rows;
    for (int c0 = 0; c0 < cols; c0 += 8) {
      int c1 = c0 + 8 < cols ? c0 + 8 : cols;
      for (int r = r0; r < r1; r++)
        for (int c = c0; c < c1; c++) dst[c * rows + r] = src[r * cols + c];
    }
  }
}

#define FMA(acc, a, b) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(a, b))

// C [m, n] = A [m, k] x B [k, n], all row-major and contiguous.
static void gemm(const float *A, const float *B, float *C, int m, int k, int n) {
  int i = 0;
  for (; i + 4 <= m; i += 4) {
    const float *a0 = A + i * k, *a1 = a0 + k, *a2 = a1 + k, *a3 = a2 + k;
    float *c0 = C + i * n, *c1 = c0 + n, *c2 = c1 + n, *c3 = c2 + n;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
      v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
      const float *bp = B + j;
      for (int p = 0; p < k; p++, bp += n) {
        v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
        v128_t x = wasm_f32x4_splat(a0[p]);
        FMA(s00, x, b0); FMA(s01, x, b1);
        x = wasm_f32x4_splat(a1[p]);
        FMA(s10, x, b0); FMA(s11, x, b1);
        x = wasm_f32x4_splat(a2[p]);
        FMA(s20, x, b0); FMA(s21, x, b1);
        x = wasm_f32x4_splat(a3[p]);
        FMA(s30, x, b0); FMA(s31, x, b1);
      }
      wasm_v128_store(c0 + j, s00); wasm_v128_store(c0 + j + 4, s01);
      wasm_v128_store(c1 + j, s10); wasm_v128_store(c1 + j + 4, s11);
      wasm_v128_store(c2 + j, s20); wasm_v128_store(c2 + j + 4, s21);
      wasm_v128_store(c3 + j, s30); wasm_v128_store(c3 + j + 4, s31);
    }
    for (; j + 4 <= n; j += 4) {
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      const float *bp = B + j;
      for (int p = 0; p < k; p++, bp += n) {
        v128_t b0 = wasm_v128_load(bp);
        FMA(s0, wasm_f32x4_splat(a0[p]), b0);
        FMA(s1, wasm_f32x4_splat(a1[p]), b0);
        FMA(s2, wasm_f32x4_splat(a2[p]), b0);
        FMA(s3, wasm_f32x4_splat(a3[p]), b0);
      }
      wasm_v128_store(c0 + j, s0); wasm_v128_store(c1 + j, s1);
      wasm_v128_store(c2 + j, s2); wasm_v128_store(c3 + j, s3);
    }
    for (; j < n; j++) {
      float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (int p = 0; p < k; p++) {
        float b = B[p * n + j];
        t0 += a0[p] * b; t1 += a1[p] * b; t2 += a2[p] * b; t3 += a3[p] * b;
      }
      c0[j] = t0; c1[j] = t1; c2[j] = t2; c3[j] = t3;
    }
  }
  for (; i < m; i++) {
    const float *a = A + i * k;
    float *c = C + i * n;
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      v128_t s = wasm_f32x4_splat(0);
      for (int p = 0; p < k; p++) FMA(s, wasm_f32x4_splat(a[p]), wasm_v128_load(B + p * n + j));
      wasm_v128_store(c + j, s);
    }
    for (; j < n; j++) {
      float t = 0;
      for (int p = 0; p < k; p++) t += a[p] * B[p * n + j];
      c[j] = t;
    }
  }
}

// C[b] = op(A[b]) x op(B[b]) for b in [0, batch). A is stored [k, m] when transA, else [m, k];
// B is stored [n, k] when transB, else [k, n]. `scratch` holds m*k + k*n floats.
__attribute__((export_name("bmm")))
void bmm(const float *A, const float *B, float *C, int batch, int m, int k, int n, int transA, int transB, float *scratch) {
  for (int b = 0; b < batch; b++) {
    const float *a = A + b * m * k;
    const float *bb = B + b * k * n;
    if (transA) {
      transpose(a, scratch, k, m);
      a = scratch;
    }
    if (transB) {
      transpose(bb, scratch + m * k, n, k);
      bb = scratch + m * k;
    }
    gemm(a, bb, C + b * m * n, m, k, n);
  }
}

// out [cols] = sums of the columns of x [rows, cols]: the gradient of a bias or a gain, which
// tfjs computes by transposing first.
__attribute__((export_name("colsum")))
void colsum(const float *x, float *out, int rows, int cols) {
  int j = 0;
  for (; j + 16 <= cols; j += 16) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    const float *p = x + j;
    for (int r = 0; r < rows; r++, p += cols) {
      s0 = wasm_f32x4_add(s0, wasm_v128_load(p));
      s1 = wasm_f32x4_add(s1, wasm_v128_load(p + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(p + 8));
      s3 = wasm_f32x4_add(s3, wasm_v128_load(p + 12));
    }
    wasm_v128_store(out + j, s0); wasm_v128_store(out + j + 4, s1);
    wasm_v128_store(out + j + 8, s2); wasm_v128_store(out + j + 12, s3);
  }
  for (; j + 4 <= cols; j += 4) {
    v128_t s = wasm_f32x4_splat(0);
    for (int r = 0; r < rows; r++) s = wasm_f32x4_add(s, wasm_v128_load(x + r * cols + j));
    wasm_v128_store(out + j, s);
  }
  for (; j < cols; j++) {
    float s = 0;
    for (int r = 0; r < rows; r++) s += x[r * cols + j];
    out[j] = s;
  }
}
