// Adam's elementwise update in C: Swift (6.x, baseline x86-64) compiled the SIMD version into
// 4-wide SSE with register spills and a scalar square root per lane, ~15% of a training step.
// Here the loop is written once on 16-float vectors and compiled for each instruction set the
// processor may have (AVX-512, AVX2, baseline); each call picks the widest one available.
// (Not `target_clones`: its load-time resolver crashes under ThreadSanitizer.)

#include "kernels.h"

// No fused multiply-add: the same bits on every instruction set, as the header promises.
#pragma STDC FP_CONTRACT OFF

typedef float floats16 __attribute__((ext_vector_type(16)));

#define LOAD16(x, source) __builtin_memcpy(&(x), (source), sizeof(floats16))
#define STORE16(destination, x) __builtin_memcpy((destination), &(x), sizeof(floats16))

#define ADAM_PARAMETERS                                                                        \
  long count, float *restrict p, const float *restrict g, float *restrict m, float *restrict v, \
      float b1, float b2, float eps, float stepSize, float rootCorrection2, float l2, float shrink
#define ADAM_ARGUMENTS count, p, g, m, v, b1, b2, eps, stepSize, rootCorrection2, l2, shrink

/// The update, inlined into each instruction set's copy below.
static inline __attribute__((always_inline)) void adam(ADAM_PARAMETERS) {
  const float c1 = 1.0f - b1, c2 = 1.0f - b2;
  long i = 0;
  for (; i + 16 <= count; i += 16) {
    floats16 theta, grad, mi, vi;
    LOAD16(theta, p + i);
    LOAD16(grad, g + i);
    LOAD16(mi, m + i);
    LOAD16(vi, v + i);
    theta = theta * shrink;
    grad = grad + l2 * theta;
    mi = b1 * mi + c1 * grad;
    vi = b2 * vi + c2 * grad * grad;
    floats16 next = theta - stepSize * mi / (__builtin_elementwise_sqrt(vi) / rootCorrection2 + eps);
    STORE16(m + i, mi);
    STORE16(v + i, vi);
    STORE16(p + i, next);
  }
  for (; i < count; i++) {
    float theta = p[i] * shrink;
    float grad = g[i] + l2 * theta;
    float mi = b1 * m[i] + c1 * grad;
    float vi = b2 * v[i] + c2 * grad * grad;
    m[i] = mi;
    v[i] = vi;
    p[i] = theta - stepSize * mi / (__builtin_sqrtf(vi) / rootCorrection2 + eps);
  }
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void adam_avx512(ADAM_PARAMETERS) { adam(ADAM_ARGUMENTS); }
__attribute__((target("avx2"))) static void adam_avx2(ADAM_PARAMETERS) { adam(ADAM_ARGUMENTS); }
#endif

void speechcmd_adam_update(ADAM_PARAMETERS) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) {
    adam_avx512(ADAM_ARGUMENTS);
  } else if (__builtin_cpu_supports("avx2")) {
    adam_avx2(ADAM_ARGUMENTS);
  } else {
    adam(ADAM_ARGUMENTS);
  }
#else
  adam(ADAM_ARGUMENTS);
#endif
}
