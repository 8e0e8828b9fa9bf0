extension LossKind {
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
