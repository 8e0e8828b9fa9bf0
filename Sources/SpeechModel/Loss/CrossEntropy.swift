/// Softmax cross-entropy from logits, computed as `torch.nn.functional.cross_entropy` does.
///
/// For a row z of logits, log pᶜ = (zᶜ − max z) − log Σⱼ exp(zⱼ − max z) (log-sum-exp, finite for
/// logits of ±1e4 and beyond). Every variant is a weighted sum over classes,
/// `loss = Σᶜ aᶜ · (−log pᶜ)`, whose gradient is `(Σᶜ aᶜ) · p − a`: for a one-hot `a` that is
/// the familiar `p − onehot`. The coefficients `a` and the divisor of `.mean` reproduce PyTorch
/// exactly, including its two subtleties:
///
/// - Class indices with label smoothing ε and class weights w: `a = (1 − ε)·w[y]·onehot(y) +
///   (ε / C)·w`, and `.mean` divides the whole loss (smoothing term included) by the sum of the
///   *targets'* weights, Σₙ w[yₙ] over samples not ignored — not by N, nor by Σ w.
/// - Probability (soft) targets q: `a = w ⊙ ((1 − ε)·q + ε / C)`, and `.mean` divides by the
///   number of samples N, whatever the weights.
///
/// Samples whose index equals `ignoreIndex` contribute zero loss and zero gradient; when every
/// sample is ignored, `.mean` is 0/0 = NaN as in PyTorch (the gradient stays zero).
public struct CrossEntropyLoss<T: LossFloat>: Sendable {
  /// PyTorch's `weight`: one factor per class, or `nil` for all 1.
  public var classWeights: [T]?
  /// Target index to skip (class-index targets only). Default -100, PyTorch's.
  public var ignoreIndex: Int
  /// PyTorch's `label_smoothing` ε in [0, 1]. Default 0.
  public var labelSmoothing: T
  /// Default `.mean`.
  public var reduction: Reduction

  /// A loss with PyTorch's defaults for every option not given.
  public init(
    classWeights: [T]? = nil, ignoreIndex: Int = -100, labelSmoothing: T = 0,
    reduction: Reduction = .mean
  ) {
    self.classWeights = classWeights
    self.ignoreIndex = ignoreIndex
    self.labelSmoothing = labelSmoothing
    self.reduction = reduction
  }

  /// The loss of `logits` (`targets.count × classes`, row-major) against class indices.
  /// An unbatched PyTorch call (logits of shape (C,)) is one row.
  public func evaluate(logits: [T], classes: Int, targets: [Int]) -> LossResult<T> {
    precondition(logits.count == targets.count * classes, "logits must be rows × classes")
    return run(rows: targets.count, classes: classes) { g, e in
      logits.withUnsafeBufferPointer { z in
        targets.withUnsafeBufferPointer { y in
          compute(
            logits: z.baseAddress!, rows: y.count, classes: classes, indices: y.baseAddress!,
            gradient: g, elementwise: e)
        }
      }
    }
  }

  /// The loss of `logits` against class probabilities of the same shape (soft targets).
  public func evaluate(logits: [T], classes: Int, probabilities: [T]) -> LossResult<T> {
    precondition(logits.count == probabilities.count, "targets must have the logits' shape")
    precondition(classes > 0 && logits.count % classes == 0, "logits must be rows × classes")
    let rows = logits.count / classes
    return run(rows: rows, classes: classes) { g, e in
      logits.withUnsafeBufferPointer { z in
        probabilities.withUnsafeBufferPointer { q in
          compute(
            logits: z.baseAddress!, rows: rows, classes: classes, probabilities: q.baseAddress!,
            gradient: g, elementwise: e)
        }
      }
    }
  }

  private func run(
    rows: Int, classes: Int,
    _ body: (UnsafeMutablePointer<T>, UnsafeMutablePointer<T>) -> T
  ) -> LossResult<T> {
    var gradient = [T](repeating: 0, count: max(1, rows * classes))
    var elementwise = [T](repeating: 0, count: max(1, rows))
    let value = gradient.withUnsafeMutableBufferPointer { g in
      elementwise.withUnsafeMutableBufferPointer { e in body(g.baseAddress!, e.baseAddress!) }
    }
    gradient.removeLast(gradient.count - rows * classes)
    elementwise.removeLast(elementwise.count - rows)
    return LossResult(value: value, elementwise: elementwise, gradient: gradient)
  }

  /// Class-index targets: writes d(loss)/d(logits) to `gradient` (rows × classes) and, when
  /// given, each row's unreduced loss to `elementwise`; returns the reduced loss.
  /// Every index must be in `0..<classes` or equal `ignoreIndex`.
  func compute(
    logits: UnsafePointer<T>, rows: Int, classes: Int, indices: UnsafePointer<Int>,
    gradient: UnsafeMutablePointer<T>, elementwise: UnsafeMutablePointer<T>?
  ) -> T {
    if let w = classWeights { precondition(w.count == classes, "one class weight per class") }
    let smoothing = labelSmoothing
    let share = smoothing / T(classes)
    let weightSum = classWeights.map { $0.reduce(0, +) } ?? T(classes)
    var total: T = 0
    var targetWeights: T = 0
    for n in 0..<rows {
      let z = logits + n * classes
      let g = gradient + n * classes
      let y = indices[n]
      if y == ignoreIndex {
        g.update(repeating: 0, count: classes)
        elementwise?[n] = 0
        continue
      }
      precondition(y >= 0 && y < classes, "class index \(y) outside 0..<\(classes)")
      let (zMax, logSum) = Self.softmax(z, classes: classes, into: g)  // g = p
      let wy = classWeights?[y] ?? 1
      // loss = Σᶜ aᶜ (log Σ + max − zᶜ);  grad = (Σ a)·p − a
      let hot = (1 - smoothing) * wy
      var loss = hot * ((zMax - z[y]) + logSum)
      if smoothing > 0 {
        var smooth: T = 0
        if let w = classWeights {
          for c in 0..<classes { smooth += w[c] * ((zMax - z[c]) + logSum) }
        } else {
          for c in 0..<classes { smooth += (zMax - z[c]) + logSum }
        }
        loss += share * smooth
      }
      let aSum = hot + share * weightSum
      if let w = classWeights {
        for c in 0..<classes { g[c] = aSum * g[c] - share * w[c] }
      } else {
        for c in 0..<classes { g[c] = aSum * g[c] - share }
      }
      g[y] -= hot
      elementwise?[n] = loss
      total += loss
      targetWeights += wy
    }
    // PyTorch's weighted mean: divide by Σ w[yₙ] over the samples kept (0/0 = NaN if none).
    return finish(
      total: total, divisor: targetWeights, rows: rows, classes: classes,
      indices: indices, gradient: gradient)
  }

  /// Probability targets (soft labels, rows × classes, each row summing to 1); as above.
  func compute(
    logits: UnsafePointer<T>, rows: Int, classes: Int, probabilities: UnsafePointer<T>,
    gradient: UnsafeMutablePointer<T>, elementwise: UnsafeMutablePointer<T>?
  ) -> T {
    if let w = classWeights { precondition(w.count == classes, "one class weight per class") }
    let smoothing = labelSmoothing
    let share = smoothing / T(classes)
    var total: T = 0
    for n in 0..<rows {
      let z = logits + n * classes
      let q = probabilities + n * classes
      let g = gradient + n * classes
      let (zMax, logSum) = Self.softmax(z, classes: classes, into: g)
      var loss: T = 0
      var aSum: T = 0
      for c in 0..<classes {
        let a = ((1 - smoothing) * q[c] + share) * (classWeights?[c] ?? 1)
        if a != 0 { loss += a * ((zMax - z[c]) + logSum) }
        aSum += a
      }
      for c in 0..<classes {
        let a = ((1 - smoothing) * q[c] + share) * (classWeights?[c] ?? 1)
        g[c] = aSum * g[c] - a
      }
      elementwise?[n] = loss
      total += loss
    }
    // Soft targets: PyTorch's `.mean` divides by the number of samples N, even with weights.
    return finish(
      total: total, divisor: T(rows), rows: rows, classes: classes, indices: nil,
      gradient: gradient)
  }

  /// Applies the reduction's divisor to the loss and the gradient of the rows kept.
  private func finish(
    total: T, divisor: T, rows: Int, classes: Int, indices: UnsafePointer<Int>?,
    gradient: UnsafeMutablePointer<T>
  ) -> T {
    guard reduction == .mean else { return total }
    let scale = 1 / divisor
    for n in 0..<rows where indices?[n] != ignoreIndex {
      let g = gradient + n * classes
      for c in 0..<classes { g[c] *= scale }
    }
    return total / divisor
  }

  @inline(__always)
  static func maximum(_ z: UnsafePointer<T>, _ count: Int) -> T {
    var m = z[0]
    for c in 1..<count where z[c] > m { m = z[c] }
    return m
  }

  /// Writes softmax(z) to `p`; returns max z and log Σ exp(z − max z), so that
  /// −log pᶜ = (max − zᶜ) + logSum without the rounding of a large `max + logSum`.
  @inline(__always)
  static func softmax(
    _ z: UnsafePointer<T>, classes: Int, into p: UnsafeMutablePointer<T>
  ) -> (max: T, logSum: T) {
    let m = maximum(z, classes)
    var sum: T = 0
    for c in 0..<classes {
      let e = T.exponential(z[c] - m)
      p[c] = e
      sum += e
    }
    let inverse = 1 / sum
    for c in 0..<classes { p[c] *= inverse }
    return (m, T.logarithm(sum))
  }
}
