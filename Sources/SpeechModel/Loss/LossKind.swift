import Foundation

/// Which loss the network's logits are trained with; stored in model files as "ce" or "bce".
public enum LossKind: String, Codable, Sendable, CaseIterable {
  /// Softmax cross-entropy: exactly one class per sample (`torch.nn.functional.cross_entropy`).
  case crossEntropy = "ce"
  /// Sigmoid binary cross-entropy per class, one-vs-rest: zero, one or several classes per
  /// sample (`binary_cross_entropy_with_logits`); suits keyword detection with rejection.
  case binaryCrossEntropy = "bce"
}

/// Everything that depends on the loss, in one place: training's loss and gradient, the
/// inference activation (softmax or sigmoid) and the plain mean loss of validation and
/// calibration. A new loss is a new case here plus its `…Loss` type.
extension LossKind {
  /// The reduced loss of `logits` (rows × classes, row-major) against `targets` under
  /// `options` (whose `kind` must be `self`), writing d(loss)/d(logits) into `gradient` (the same
  /// shape). `scratch` (rows × classes) holds one-hot targets for BCE with class indices.
  func lossAndGradient(
    logits: UnsafeMutablePointer<Float>, rows: Int, classes: Int, targets: Targets,
    options: LossOptions, scratch: UnsafeMutablePointer<Float>,
    gradient: UnsafeMutablePointer<Float>
  ) -> Double {
    let logits = UnsafePointer(logits)
    switch (self, targets) {
    case (.crossEntropy, .classes(let indices)):
      return Double(
        indices.withUnsafeBufferPointer { y in
          crossEntropy(options).compute(
            logits: logits, rows: rows, classes: classes, indices: y.baseAddress!,
            gradient: gradient,
            elementwise: nil)
        })
    case (.crossEntropy, .probabilities(let q)):
      precondition(q.cols == classes, "target probabilities need one column per output")
      return Double(
        q.values.withUnsafeBufferPointer { q in
          crossEntropy(options).compute(
            logits: logits, rows: rows, classes: classes, probabilities: q.baseAddress!,
            gradient: gradient, elementwise: nil)
        })
    case (.binaryCrossEntropy, .classes(let indices)):
      let t = scratch
      t.update(repeating: 0, count: rows * classes)
      for (n, y) in indices.enumerated() where y >= 0 && y < classes { t[n * classes + y] = 1 }
      return Double(
        binaryCrossEntropy(options).compute(
          logits: logits, rows: rows, classes: classes, targets: t, gradient: gradient,
          elementwise: nil))
    case (.binaryCrossEntropy, .probabilities(let q)):
      precondition(q.cols == classes, "target labels need one column per output")
      return Double(
        q.values.withUnsafeBufferPointer { q in
          binaryCrossEntropy(options).compute(
            logits: logits, rows: rows, classes: classes, targets: q.baseAddress!,
            gradient: gradient,
            elementwise: nil)
        })
    }
  }

  private func crossEntropy(_ o: LossOptions) -> CrossEntropyLoss<Float> {
    CrossEntropyLoss(
      classWeights: o.classWeights, ignoreIndex: o.ignoreIndex,
      labelSmoothing: o.labelSmoothing, reduction: o.reduction)
  }

  private func binaryCrossEntropy(_ o: LossOptions) -> BinaryCrossEntropyLoss<Float> {
    BinaryCrossEntropyLoss(
      weights: o.classWeights, positiveWeights: o.positiveWeights,
      reduction: o.reduction)
  }

  /// Turns logits into probabilities in place: softmax per row (cross-entropy) or a sigmoid per
  /// element (binary cross-entropy). `v`: (rows, classes), row-major.
  func activate(_ v: UnsafeMutablePointer<Float>, rows: Int, classes: Int) {
    switch self {
    case .crossEntropy:
      for r in 0..<rows {
        let row = v + r * classes
        _ = CrossEntropyLoss<Float>.softmax(row, classes: classes, into: row)
      }
    case .binaryCrossEntropy:
      for i in 0..<rows * classes { v[i] = BinaryCrossEntropyLoss<Float>.sigmoid(v[i]) }
    }
  }

  /// Mean loss of `logits` (rows × `classes`, row-major) against hard `targets` (class
  /// indices), without smoothing or weights: the figure validation and calibration compare.
  public func meanLoss(logits: [Float], classes: Int, targets: [Int]) -> Double {
    switch self {
    case .crossEntropy:
      return Double(
        CrossEntropyLoss<Float>().evaluate(logits: logits, classes: classes, targets: targets)
          .value)
    case .binaryCrossEntropy:
      var onehot = [Float](repeating: 0, count: logits.count)
      for (r, t) in targets.enumerated() { onehot[r * classes + t] = 1 }
      return Double(
        BinaryCrossEntropyLoss<Float>().evaluate(logits: logits, classes: classes, targets: onehot)
          .value)
    }
  }
}
