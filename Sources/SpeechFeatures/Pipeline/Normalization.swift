/// Per-utterance column normalisation (CMN / CMVN) of a row-major `(frames, columns)` buffer.
///
/// Means and variances are accumulated in Double, in frame order, so the result does not depend
/// on threading. The variance is the population variance; columns whose standard deviation is
/// below 1e-8 are only centred.
enum NormalizationKernel {
  static func apply(
    _ values: UnsafeMutablePointer<Float>, frames: Int, columns: Int,
    mode: MFCCConfig.Normalization
  ) {
    guard mode != .none, frames > 0 else { return }
    for col in 0..<columns {
      var sum = 0.0
      for t in 0..<frames { sum += Double(values[t * columns + col]) }
      let mean = sum / Double(frames)
      var scale = 1.0
      if mode == .meanVariance {
        var squares = 0.0
        for t in 0..<frames {
          let d = Double(values[t * columns + col]) - mean
          squares += d * d
        }
        let std = (squares / Double(frames)).squareRoot()
        if std >= 1e-8 { scale = 1 / std }
      }
      for t in 0..<frames {
        let i = t * columns + col
        values[i] = Float((Double(values[i]) - mean) * scale)
      }
    }
  }
}
