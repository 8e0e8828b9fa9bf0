/// How per-sample (or per-element) losses are combined, as PyTorch's `reduction` argument.
public enum Reduction: String, Codable, Sendable, CaseIterable {
  /// The weighted mean (see each loss for its divisor). The default, and what training uses.
  case mean
  /// The plain sum.
  case sum
  /// No reduction: the result keeps every loss; the gradient is that of their sum.
  case none
}

/// What a batch should have produced, one entry per row of the batch.
public enum Targets: Sendable, Equatable {
  /// One class index per sample. Cross-entropy skips samples whose index equals
  /// `LossOptions.ignoreIndex`. Binary cross-entropy turns each index into a one-hot row; an
  /// index outside `0..<classes` gives an all-zero row ("none of these", e.g. unknown words).
  case classes([Int])
  /// A `batch × classes` matrix: class probabilities (soft targets) for cross-entropy, or
  /// independent 0…1 labels per class (multi-label) for binary cross-entropy.
  case probabilities(Matrix)

  /// The number of samples the targets describe.
  public var count: Int {
    switch self {
    case .classes(let c): return c.count
    case .probabilities(let m): return m.rows
    }
  }
}

/// The loss a batch is trained with and PyTorch's options for it.
public struct LossOptions: Sendable, Equatable {
  /// Cross-entropy (softmax) or binary cross-entropy (sigmoid). Default cross-entropy.
  public var kind: LossKind
  /// How losses are combined. Default `.mean`, the usual training setting.
  public var reduction: Reduction
  /// Cross-entropy: PyTorch's `weight`, one per class. Binary cross-entropy: PyTorch's `weight`
  /// broadcast over rows, i.e. one factor per class. `nil` (the default) weighs all classes 1.
  public var classWeights: [Float]?
  /// Cross-entropy only: PyTorch's `label_smoothing` in [0, 1]. Default 0.
  public var labelSmoothing: Float
  /// Cross-entropy with class indices only: samples with this target are skipped. Default -100.
  public var ignoreIndex: Int
  /// Binary cross-entropy only: PyTorch's `pos_weight`, one per class (or one for all) weighing
  /// the positive term, e.g. negatives/positives to balance rare keywords. Default `nil` (1).
  public var positiveWeights: [Float]?

  /// Options with PyTorch's defaults for every field not given.
  public init(
    kind: LossKind = .crossEntropy, reduction: Reduction = .mean, classWeights: [Float]? = nil,
    labelSmoothing: Float = 0, ignoreIndex: Int = -100, positiveWeights: [Float]? = nil
  ) {
    self.kind = kind
    self.reduction = reduction
    self.classWeights = classWeights
    self.labelSmoothing = labelSmoothing
    self.ignoreIndex = ignoreIndex
    self.positiveWeights = positiveWeights
  }
}

/// A loss evaluated on a batch of logits.
public struct LossResult<T: LossFloat>: Sendable {
  /// The reduced loss; for `.none`, the sum of `elementwise`.
  public var value: T
  /// The unreduced losses: one per row for cross-entropy, one per element for binary
  /// cross-entropy (zero for skipped samples).
  public var elementwise: [T]
  /// d(value)/d(logits), the same shape as the logits (row-major).
  public var gradient: [T]
}
