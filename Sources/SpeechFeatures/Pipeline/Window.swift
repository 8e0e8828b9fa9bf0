import Foundation

extension MFCCConfig.WindowFunction {
  /// The `length` window coefficients, computed in double precision.
  ///
  /// Periodic windows use the denominator `length` (scipy `fftbins=True`, torch `periodic=True`),
  /// symmetric ones `length − 1`. Povey is Kaldi's symmetric Hann raised to 0.85.
  func coefficients(length: Int, periodic: Bool) -> [Float] {
    guard length > 1 else { return [Float](repeating: 1, count: max(length, 0)) }
    let denominator = Double(periodic && self != .povey ? length : length - 1)
    return (0..<length).map { n in
      let c = cos(2 * Double.pi * Double(n) / denominator)
      switch self {
      case .hann: return Float(0.5 - 0.5 * c)
      case .hamming: return Float(0.54 - 0.46 * c)
      case .povey: return Float(pow(0.5 - 0.5 * c, 0.85))
      case .rectangular: return 1
      }
    }
  }
}
