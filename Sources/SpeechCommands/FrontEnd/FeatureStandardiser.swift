import Foundation

/// Per-feature standardisation `(x − mean) / std`, fitted on the training split and stored in
/// the model (`ModelMetadata.inputMean`, `inputStd`), so classification applies the same scaling.
public struct FeatureStandardiser: Sendable, Equatable {
  /// Mean of each feature over the training clips.
  public var mean: [Float]
  /// Population standard deviation of each feature. A feature that was constant in training
  /// (deviation under `minimumStd`) is stored with `constantStd`, which switches it off: such a
  /// feature taught the network nothing, and dividing an unseen value by 1 (scikit-learn's choice)
  /// would feed the network a huge input — e.g. frames that were padding in every training clip
  /// but hold sound in a longer test word.
  public var std: [Float]

  /// Standard deviations below this are treated as zero. 1e-6.
  public static let minimumStd: Double = 1e-6
  /// The deviation stored for constant features: 1e6, so their standardised value stays near 0.
  public static let constantStd: Float = 1e6

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
      return sd < Self.minimumStd ? Self.constantStd : Float(sd)
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
