/// Regression deltas over time (HTK / python_speech_features `delta`).
///
/// `d[t] = Σₙ₌₁ᴺ n·(c[t+n] − c[t−n]) / (2·Σₙ₌₁ᴺ n²)`, with frames beyond either end replaced by
/// the edge frame. Operates in place on a row-major `(frames, stride)` buffer: reads `width`
/// columns starting at `source`, writes them starting at `target`.
enum DeltaKernel {
  static func apply(
    _ values: UnsafeMutablePointer<Float>, frames: Int, stride: Int, source: Int, target: Int,
    width: Int, halfWidth: Int
  ) {
    guard frames > 0 else { return }
    var denominator: Float = 0
    for n in 1...halfWidth { denominator += Float(2 * n * n) }
    for t in 0..<frames {
      let out = values + t * stride + target
      for k in 0..<width { out[k] = 0 }
      for n in 1...halfWidth {
        let ahead = values + min(t + n, frames - 1) * stride + source
        let behind = values + max(t - n, 0) * stride + source
        let w = Float(n)
        for k in 0..<width { out[k] += w * (ahead[k] - behind[k]) }
      }
      for k in 0..<width { out[k] /= denominator }
    }
  }
}
