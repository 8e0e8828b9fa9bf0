/// A few network inputs of real training clips per label, kept in the model file so that
/// retraining without the old recordings can replay them: the old words are learned again
/// from their own examples instead of only from the old model's answers on new recordings
/// (exemplar memory, as in iCaRL, Rebuffi et al. 2017).
///
/// Rows are features, not audio: the normalised network inputs (`x' = (x − mean) / std`, the
/// model's own `inputMean`/`inputStd`) of un-augmented training clips. Stored as two F32
/// tensors, `memory.features` [rows, input] and `memory.labels` [rows] (each an output index,
/// a whole number), which numpy reads with `safetensors.numpy.load_file`.
public struct ReplayMemory: Sendable, Equatable {
  /// Network inputs per row (the architecture's `input`).
  public let inputs: Int
  /// Normalised features, rows × inputs, row-major.
  public let features: [Float]
  /// Output index (class) of each row.
  public let labels: [Int]

  /// Name of the features tensor in the model file.
  public static let featuresTensor = "memory.features"
  /// Name of the labels tensor in the model file.
  public static let labelsTensor = "memory.labels"
  /// Most rows a file may hold: far above any useful memory (64 per label of 1,000 labels),
  /// small enough to bound what a forged header asks for.
  public static let maxRows = 1 << 16

  /// A memory of `labels.count` rows; `features` holds `labels.count × inputs` values.
  public init(inputs: Int, features: [Float], labels: [Int]) {
    precondition(features.count == labels.count * inputs, "features must be rows × inputs")
    self.inputs = inputs
    self.features = features
    self.labels = labels
  }

  /// Number of rows.
  public var rows: Int { labels.count }

  /// Row indices of each class 0..<classes, in stored order.
  public func rowsByLabel(classes: Int) -> [[Int]] {
    var byLabel = [[Int]](repeating: [], count: classes)
    for (r, label) in labels.enumerated() where label < classes { byLabel[label].append(r) }
    return byLabel
  }

  /// The values of row `r`.
  public func row(_ r: Int) -> ArraySlice<Float> {
    features[(r * inputs)..<((r + 1) * inputs)]
  }

  /// The first problem that makes this memory unusable beside a network of `inputs` inputs and
  /// `outputs` classes (row width, label range, finite values, size), or nil.
  func problem(inputs expected: Int, outputs: Int) -> (tensor: String, reason: String)? {
    if inputs != expected {
      return (Self.featuresTensor, "has rows of \(inputs) values; the network reads \(expected)")
    }
    if rows > Self.maxRows {
      return (Self.featuresTensor, "has \(rows) rows; at most \(Self.maxRows) are accepted")
    }
    if let bad = labels.firstIndex(where: { !(0..<outputs).contains($0) }) {
      return (
        Self.labelsTensor,
        "holds label \(labels[bad]) at index \(bad); labels must be in 0…\(outputs - 1)"
      )
    }
    if let bad = features.firstIndex(where: { !$0.isFinite }) {
      return (Self.featuresTensor, "holds \(features[bad]) at index \(bad); values must be finite")
    }
    return nil
  }
}
