// Kernels of the dense layers, llm.c style: flat row-major buffers, shapes in the comments,
// products through cblas_sgemm, elementwise work in plain loops the compiler vectorises.

/// y = x·Wᵀ (+ b added by the caller's activation kernel).
/// x: (rows, inputs)  W: (outputs, inputs)  y: (rows, outputs)
///
/// One row (a one-file `classify`, a one-sample prediction) is a matrix–vector product, y = W·x,
/// computed here (`matrixVector`): it takes microseconds, and needing no BLAS spares a short-lived
/// process from loading OpenBLAS (milliseconds of relocations and thread start-up). Batches go to
/// `cblas_sgemm`.
@inline(__always)
package func denseForward(
  x: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int, weight: UnsafePointer<Float>,
  y: UnsafeMutablePointer<Float>
) {
  if rows == 1 {
    matrixVector(weight, rows: outputs, cols: inputs, x: x, y: y)
    return
  }
  sgemm(
    transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
    a: x, lda: inputs, b: weight, ldb: inputs, c: y, ldc: outputs)
}

/// y = A·x for a row-major (rows, cols) matrix A: four rows at a time, each dotted with x in
/// eight lanes, then the lanes summed and the scalar tail added.
/// A: (rows, cols)  x: (cols)  y: (rows)
func matrixVector(
  _ a: UnsafePointer<Float>, rows: Int, cols: Int, x: UnsafePointer<Float>,
  y: UnsafeMutablePointer<Float>
) {
  let end = vectorEnd(cols)
  func tail(_ row: UnsafePointer<Float>) -> Float {
    var sum: Float = 0
    for c in end..<cols { sum += row[c] * x[c] }
    return sum
  }
  var r = 0
  while r + 4 <= rows {
    let (a0, a1, a2, a3) = (
      a + r * cols, a + (r + 1) * cols, a + (r + 2) * cols, a + (r + 3) * cols
    )
    var (s0, s1, s2, s3) = (FloatVector(), FloatVector(), FloatVector(), FloatVector())
    var c = 0
    while c < end {
      let v = load(x, c)
      s0 += load(a0, c) * v
      s1 += load(a1, c) * v
      s2 += load(a2, c) * v
      s3 += load(a3, c) * v
      c += lanes
    }
    y[r] = s0.sum() + tail(a0)
    y[r + 1] = s1.sum() + tail(a1)
    y[r + 2] = s2.sum() + tail(a2)
    y[r + 3] = s3.sum() + tail(a3)
    r += 4
  }
  while r < rows {
    let row = a + r * cols
    var s = FloatVector()
    var c = 0
    while c < end {
      s += load(row, c) * load(x, c)
      c += lanes
    }
    y[r] = s.sum() + tail(row)
    r += 1
  }
}

/// y = max(y + b, 0) in place, b broadcast over rows.  y: (rows, outputs)  b: (outputs)
func addBiasReLU(
  _ y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, outputs: Int
) {
  let end = vectorEnd(outputs)
  let zero = FloatVector(repeating: 0)
  for r in 0..<rows {
    let row = y + r * outputs
    var c = 0
    while c < end {
      let v = load(row, c) + load(bias, c)
      store(v.replacing(with: zero, where: v .<= zero), row, c)
      c += lanes
    }
    for c in end..<outputs {
      let v = row[c] + bias[c]
      row[c] = v > 0 ? v : 0
    }
  }
}

/// y += b, b broadcast over rows.  y: (rows, outputs)  b: (outputs)
func addBias(_ y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, rows: Int, outputs: Int)
{
  let end = vectorEnd(outputs)
  for r in 0..<rows {
    let row = y + r * outputs
    var c = 0
    while c < end {
      store(load(row, c) + load(bias, c), row, c)
      c += lanes
    }
    for c in end..<outputs { row[c] += bias[c] }
  }
}

/// Inverted dropout in place: each element is zeroed with probability `rate`, kept ones are
/// scaled by 1/(1 − rate); the factor applied (0 or 1/(1 − rate)) is stored in `mask` for the
/// backward pass. Two 32-bit uniform draws per 64-bit random number.
func applyDropout(
  _ y: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, count: Int, rate: Float,
  using rng: inout some RandomNumberGenerator
) {
  let keep = 1 / (1 - rate)
  let threshold = UInt32(min(Double(rate) * 4_294_967_296, 4_294_967_295))
  var i = 0
  while i < count {
    let bits = rng.next()
    mask[i] = UInt32(truncatingIfNeeded: bits) < threshold ? 0 : keep
    if i + 1 < count { mask[i + 1] = UInt32(truncatingIfNeeded: bits >> 32) < threshold ? 0 : keep }
    i += 2
  }
  let end = vectorEnd(count)
  var j = 0
  while j < end {
    store(load(y, j) * load(mask, j), y, j)
    j += lanes
  }
  for j in end..<count { y[j] *= mask[j] }
}

/// Backward of y = x·Wᵀ + b: dW = dyᵀ·x, db = Σ_rows dy, and dx = dy·W when `dx` is given
/// (the first layer needs no dx: skipping it saves a third of that layer's work).
/// dy: (rows, outputs)  x: (rows, inputs)  W: (outputs, inputs)
/// dW: (outputs, inputs)  db: (outputs)  dx: (rows, inputs)
@inline(__always)
func denseBackward(
  dy: UnsafePointer<Float>, x: UnsafePointer<Float>, rows: Int, inputs: Int, outputs: Int,
  weight: UnsafePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
  dBias: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>?
) {
  sgemm(
    transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows,
    a: dy, lda: outputs, b: x, ldb: inputs, c: dWeight, ldc: inputs)
  columnSums(dy, rows: rows, cols: outputs, into: dBias)
  if let dx {
    sgemm(
      transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs,
      a: dy, lda: outputs, b: weight, ldb: inputs, c: dx, ldc: inputs)
  }
}

/// Backward of ReLU (and dropout, when `mask` is given) in place: dz = da where the layer's
/// output a was positive (times the dropout factor), else 0.
/// da, a, mask: (rows · width)
func reluBackward(
  _ da: UnsafeMutablePointer<Float>, activation a: UnsafePointer<Float>,
  mask: UnsafePointer<Float>?, count: Int
) {
  let end = vectorEnd(count)
  let zero = FloatVector(repeating: 0)
  var i = 0
  if let mask {
    while i < end {
      store((load(da, i) * load(mask, i)).replacing(with: zero, where: load(a, i) .<= zero), da, i)
      i += lanes
    }
    for i in end..<count { da[i] = a[i] > 0 ? da[i] * mask[i] : 0 }
  } else {
    while i < end {
      store(load(da, i).replacing(with: zero, where: load(a, i) .<= zero), da, i)
      i += lanes
    }
    for i in end..<count { da[i] = a[i] > 0 ? da[i] : 0 }
  }
}

/// s = Σ_rows x (the bias gradient).  x: (rows, cols)  s: (cols)
func columnSums(
  _ x: UnsafePointer<Float>, rows: Int, cols: Int, into s: UnsafeMutablePointer<Float>
) {
  s.update(repeating: 0, count: cols)
  let end = vectorEnd(cols)
  for r in 0..<rows {
    let row = x + r * cols
    var c = 0
    while c < end {
      store(load(s, c) + load(row, c), s, c)
      c += lanes
    }
    for c in end..<cols { s[c] += row[c] }
  }
}
