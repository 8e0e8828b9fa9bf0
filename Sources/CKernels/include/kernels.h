#ifndef SPEECHCMD_KERNELS_H
#define SPEECHCMD_KERNELS_H

/// One Adam step over `count` parameters, element by element (see `Adam` in SpeechModel):
///
///     theta = p·shrink;  grad = g + l2·theta
///     m = b1·m + (1 − b1)·grad;  v = b2·v + (1 − b2)·grad²
///     p = theta − stepSize·m / (√v / rootCorrection2 + eps)
///
/// Every element gets exactly these operations in this order, each rounded to float (no fused
/// multiply-add), whatever the vector width the processor offers: the result is the same bits
/// on every x86-64 and as Swift's scalar arithmetic would give.
void speechcmd_adam_update(long count, float *restrict p, const float *restrict g,
                           float *restrict m, float *restrict v, float b1, float b2, float eps,
                           float stepSize, float rootCorrection2, float l2, float shrink);

#endif
