import Foundation

/// The orthonormal DCT-II restricted to the first `coefficients` outputs, with the lifter folded in,
/// as a `(bands, coefficients)` matrix: `c[k] = Σₙ x[n]·matrix[n·coefficients + k]`.
///
/// `c[k] = s(k)·Σₙ x[n]·cos(πk(2n+1)/(2N))`, `s(0) = √(1/N)`, `s(k) = √(2/N)` (scipy
/// `dct(type=2, norm='ortho')`), then scaled by the lifter `1 + (L/2)·sin(πk/L)` when L > 0. Keeping
/// only the needed rows makes a matrix product cheaper than a full FFT-based DCT for N ≤ ~64.
struct DCTMatrix: Sendable {
  /// Input length N (mel bands).
  let bands: Int
  /// Outputs kept.
  let coefficients: Int
  /// Row-major `(bands, coefficients)`.
  let matrix: [Float]

  init(bands: Int, coefficients: Int, lifter: Int) {
    self.bands = bands
    self.coefficients = coefficients
    var m = [Float](repeating: 0, count: bands * coefficients)
    let n = Double(bands)
    for k in 0..<coefficients {
      let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
      let lift =
        lifter > 0 ? 1 + Double(lifter) / 2 * sin(Double.pi * Double(k) / Double(lifter)) : 1
      for i in 0..<bands {
        let angle = Double.pi * Double(k) * (2 * Double(i) + 1) / (2 * n)
        m[i * coefficients + k] = Float(scale * lift * cos(angle))
      }
    }
    matrix = m
  }

  /// `out[k] = Σₙ x[n]·matrix[n, k]` for one frame; `x` has `bands` values, `out` `coefficients`.
  @inline(__always)
  func apply(
    _ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ m: UnsafePointer<Float>
  ) {
    let c = coefficients
    for k in 0..<c { out[k] = 0 }
    for n in 0..<bands {
      let v = x[n]
      let row = m + n * c
      for k in 0..<c { out[k] += v * row[k] }
    }
  }
}
