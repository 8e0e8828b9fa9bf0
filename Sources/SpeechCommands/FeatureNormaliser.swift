import Foundation

/// Per-feature standardisation `(x − mean) / std`, fitted on the training split and stored in
/// the model (`ModelMetadata.inputMean`, `inputStd`), so classification applies the same scaling.
public struct FeatureNormaliser: Sendable, Equatable {
  /// Mean of each feature over the training clips.
  public var mean: [Float]
  /// Population standard deviation of each feature; values under `minimumStd` are stored as 1
  /// (a constant feature is then only centred, as scikit-learn's `StandardScaler` does).
  public var std: [Float]

  /// Standard deviations below this are treated as zero. 1e-6.
  public static let minimumStd: Double = 1e-6

  public init(mean: [Float], std: [Float]) {
    self.mean = mean
    self.std = std
  }

  /// Fits mean and standard deviation over the rows of a row-major `rows × cols` buffer (sums in
  /// Double, two passes, so the result does not depend on row order beyond rounding of Float).
  public init(fitting values: [Float], rows: Int, cols: Int) {
    var sum = [Double](repeating: 0, count: cols)
    for r in 0..<rows {
      for c in 0..<cols { sum[c] += Double(values[r * cols + c]) }
    }
    let m = sum.map { rows > 0 ? $0 / Double(rows) : 0 }
    var sq = [Double](repeating: 0, count: cols)
    for r in 0..<rows {
      for c in 0..<cols {
        let d = Double(values[r * cols + c]) - m[c]
        sq[c] += d * d
      }
    }
    mean = m.map { Float($0) }
    std = sq.map { s in
      let sd = rows > 0 ? (s / Double(rows)).squareRoot() : 0
      return sd < Self.minimumStd ? 1 : Float(sd)
    }
  }

  /// Standardises a row-major buffer in place (`cols` must equal `mean.count`).
  public func apply(to values: inout [Float], cols: Int) {
    precondition(
      cols == mean.count, "feature size \(cols) differs from the normaliser's \(mean.count)")
    values.withUnsafeMutableBufferPointer { v in
      var i = 0
      while i < v.count {
        for c in 0..<cols { v[i + c] = (v[i + c] - mean[c]) / std[c] }
        i += cols
      }
    }
  }
}
