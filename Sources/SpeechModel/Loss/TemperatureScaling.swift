import Foundation

/// Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017): one
/// factor on every logit, fitted so the probabilities say how often the network is right on
/// held-out clips.
///
/// Why: label smoothing, dropout and heavy augmentation leave a network under-confident (a
/// smoothed target caps the winning probability near 1 − ε), so fixed probability thresholds,
/// such as `listen`'s 0.7 or `classify --threshold`, fire far less often than the accuracy
/// warrants. The factor is folded into the output layer (`MLP.scaleLogits(by:)`): the argmax,
/// and so every accuracy, is unchanged, and model files and inference need nothing new.
public enum TemperatureScaling {
  /// The range searched for the factor (inverse temperature).
  public static let range: ClosedRange<Float> = 0.05...20

  /// Fewest held-out clips worth fitting on. On a handful of clips that are all right, the loss
  /// keeps falling as the factor grows, and the fit saturates every probability (retraining on
  /// 15 takes of a word leaves 2–5 for validation).
  public static let minimumClips = 50

  /// Whether `factor` (from `fit`) lies at an end of `range` (within 1%): the loss kept falling
  /// past it, so the held-out clips did not pin a temperature down.
  public static func isAtRangeEnd(_ factor: Float) -> Bool {
    factor >= range.upperBound * 0.99 || factor <= range.lowerBound * 1.01
  }

  /// The logit factor in `range` that minimises the mean unweighted loss of `logits`
  /// (rows × `classes`, row-major) against `targets` (class indices), found by golden-section
  /// search on its logarithm. For softmax cross-entropy the loss is convex in the factor, so
  /// the search finds the optimum; for one-vs-rest sigmoids it is the usual single-factor fit.
  public static func fit(logits: [Float], classes: Int, targets: [Int], loss: LossKind) -> Float {
    precondition(classes > 0 && logits.count == targets.count * classes, "shape mismatch")
    guard !targets.isEmpty else { return 1 }
    let cost = { (logFactor: Double) -> Double in
      let f = Float(exp(logFactor))
      return loss.meanLoss(logits: logits.map { $0 * f }, classes: classes, targets: targets)
    }
    let ratio = (5.0.squareRoot() - 1) / 2
    var (a, b) = (log(Double(range.lowerBound)), log(Double(range.upperBound)))
    var c = b - ratio * (b - a)
    var d = a + ratio * (b - a)
    var (fc, fd) = (cost(c), cost(d))
    for _ in 0..<40 {  // shrinks the bracket by 0.618⁴⁰ ≈ 4e-9 of its width
      if fc < fd {
        (b, d, fd) = (d, c, fc)
        c = b - ratio * (b - a)
        fc = cost(c)
      } else {
        (a, c, fc) = (c, d, fd)
        d = a + ratio * (b - a)
        fd = cost(d)
      }
    }
    return Float(exp((a + b) / 2))
  }
}

extension MLP {
  /// Multiplies the output layer's weights and biases by `factor`, which multiplies every logit
  /// by it (the layer is linear); used to fold a fitted temperature into the network.
  public mutating func scaleLogits(by factor: Float) {
    let start = weightOffset(layerCount - 1)
    for i in start..<parameters.count { parameters[i] *= factor }
  }
}
