/// Sigmoid binary cross-entropy from logits, computed as
/// `torch.nn.functional.binary_cross_entropy_with_logits` does, one independent binary decision
/// per element (multi-label: each row may have zero, one or several positive classes).
///
/// With logit x, target t ∈ [0, 1], positive weight pw and element weight w:
/// `loss = w · [(1 − t)·x + (1 + (pw − 1)·t) · softplus(−x)]`, where
/// `softplus(−x) = log(1 + e^(−|x|)) + max(−x, 0)` is finite for any x (±1e4 included);
/// `d loss / dx = w · [(1 − t) − (1 + (pw − 1)·t) · σ(−x)]` (= w·(σ(x) − t) when pw = 1).
/// `.mean` divides by the number of elements, whatever the weights (PyTorch's rule).
public struct BinaryCrossEntropyLoss<T: LossFloat>: Sendable {
  /// PyTorch's `weight`, broadcast against the logits: one value, one per class (broadcast over
  /// rows), or one per element. `nil` (the default) weighs every element 1.
  public var weights: [T]?
  /// PyTorch's `pos_weight`: one per class, or one for every class. `nil` (the default) is 1.
  public var positiveWeights: [T]?
  /// Default `.mean`.
  public var reduction: Reduction

  /// A loss with PyTorch's defaults for every option not given.
  public init(weights: [T]? = nil, positiveWeights: [T]? = nil, reduction: Reduction = .mean) {
    self.weights = weights
    self.positiveWeights = positiveWeights
    self.reduction = reduction
  }

  /// The loss of `logits` (rows × classes, row-major; a 1-D PyTorch input is one row) against
  /// `targets` of the same shape.
  public func evaluate(logits: [T], classes: Int, targets: [T]) -> LossResult<T> {
    precondition(logits.count == targets.count, "targets must have the logits' shape")
    precondition(classes > 0 && logits.count % classes == 0, "logits must be rows × classes")
    var gradient = [T](repeating: 0, count: logits.count)
    var elementwise = [T](repeating: 0, count: logits.count)
    let value = logits.withUnsafeBufferPointer { x in
      targets.withUnsafeBufferPointer { t in
        gradient.withUnsafeMutableBufferPointer { g in
          elementwise.withUnsafeMutableBufferPointer { e in
            compute(
              logits: x.baseAddress!, rows: logits.count / classes, classes: classes,
              targets: t.baseAddress!, gradient: g.baseAddress!, elementwise: e.baseAddress!)
          }
        }
      }
    }
    return LossResult(value: value, elementwise: elementwise, gradient: gradient)
  }

  /// Writes d(loss)/d(logits) to `gradient` and, when given, each element's unreduced loss to
  /// `elementwise`; returns the reduced loss. All buffers are rows × classes.
  func compute(
    logits: UnsafePointer<T>, rows: Int, classes: Int, targets: UnsafePointer<T>,
    gradient: UnsafeMutablePointer<T>, elementwise: UnsafeMutablePointer<T>?
  ) -> T {
    let count = rows * classes
    let weight = weights.map { Broadcast($0, classes: classes, count: count) }
    let positive = positiveWeights.map { Broadcast($0, classes: classes, count: classes) }
    let scale: T = reduction == .mean ? 1 / T(count) : 1
    var total: T = 0
    for i in 0..<count {
      let x = logits[i]
      let t = targets[i]
      let c = i % classes
      let pw = positive?[c] ?? 1
      let positiveFactor = 1 + (pw - 1) * t
      let softplusNeg = T.logarithmOnePlus(T.exponential(-abs(x))) + max(-x, 0)
      let sigmoidNeg = Self.sigmoid(-x)
      var loss = (1 - t) * x + positiveFactor * softplusNeg
      var grad = (1 - t) - positiveFactor * sigmoidNeg
      if let w = weight?[i] {
        loss *= w
        grad *= w
      }
      elementwise?[i] = loss
      gradient[i] = grad * scale
      total += loss
    }
    return total * scale
  }
}

extension BinaryCrossEntropyLoss {
  /// σ(x) = 1 / (1 + e^−x) without overflow for large |x|: the loss's gradient uses σ(−x), and
  /// `LossKind.activate` turns a BCE model's logits into probabilities with it.
  @inline(__always)
  public static func sigmoid(_ x: T) -> T {
    x >= 0 ? 1 / (1 + T.exponential(-x)) : T.exponential(x) / (1 + T.exponential(x))
  }
}

/// PyTorch-style broadcasting of a weight vector over a row-major rows × classes buffer:
/// one value for all, one per class, or one per element.
private struct Broadcast<T> {
  let values: [T]
  let classes: Int

  init(_ values: [T], classes: Int, count: Int) {
    precondition(
      values.count == 1 || values.count == classes || values.count == count,
      "weights must hold 1, one per class, or one per element")
    self.values = values
    self.classes = values.count == count ? 0 : classes
  }

  @inline(__always) subscript(index: Int) -> T {
    if values.count == 1 { return values[0] }
    return classes == 0 ? values[index] : values[index % classes]
  }
}
