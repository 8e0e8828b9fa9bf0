import Foundation

/// Precision, recall and F1 of one class.
public struct ClassMetrics: Codable, Sendable, Equatable {
  /// The class name.
  public var label: String
  /// Of the clips predicted as this class, the fraction that were it (0 when none predicted).
  public var precision: Double
  /// Of the clips of this class, the fraction predicted as it (0 when the class has none).
  public var recall: Double
  /// Harmonic mean of precision and recall (0 when both are 0).
  public var f1: Double
  /// Number of clips of this class.
  public var support: Int
}

/// Accuracy, per-class figures and the confusion matrix of a set of predictions.
public struct ClassificationMetrics: Codable, Sendable, Equatable {
  /// Class names, indexing the rows and columns of `confusion`.
  public var labels: [String]
  /// `confusion[true][predicted]` counts.
  public var confusion: [[Int]]

  /// Builds the confusion matrix from true and predicted class indices (same length).
  public init(labels: [String], truth: [Int], predicted: [Int]) {
    self.labels = labels
    var m = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
    for (t, p) in zip(truth, predicted) { m[t][p] += 1 }
    confusion = m
  }

  /// Number of clips.
  public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

  /// Fraction of clips classified correctly (0 for no clips).
  public var accuracy: Double {
    let total = count
    guard total > 0 else { return 0 }
    return Double(labels.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(total)
  }

  /// Accuracy over the clips whose true class is in `classes` (nil when there are none).
  public func accuracy(over classes: Set<Int>) -> Double? {
    var right = 0
    var total = 0
    for c in classes where c < labels.count {
      right += confusion[c][c]
      total += confusion[c].reduce(0, +)
    }
    return total > 0 ? Double(right) / Double(total) : nil
  }

  /// Precision, recall, F1 and support of every class, in label order.
  public var classes: [ClassMetrics] {
    labels.indices.map { c in
      let tp = Double(confusion[c][c])
      let support = confusion[c].reduce(0, +)
      let predicted = labels.indices.reduce(0) { $0 + confusion[$1][c] }
      let precision = predicted > 0 ? tp / Double(predicted) : 0
      let recall = support > 0 ? tp / Double(support) : 0
      let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
      return ClassMetrics(
        label: labels[c], precision: precision, recall: recall, f1: f1, support: support)
    }
  }

  /// Mean F1 over the classes that have clips or were predicted (scikit-learn's `f1_score(…,
  /// average="macro")`, whose labels are those of the truth and the predictions): a class
  /// predicted for clips that were never it has F1 0 and counts, so wrong guesses of a label the
  /// data lacks lower the figure.
  public var macroF1: Double {
    let present = labels.indices.filter { c in
      confusion[c].reduce(0, +) > 0 || labels.indices.contains { confusion[$0][c] > 0 }
    }
    let f1 = classes.map(\.f1)
    return present.isEmpty ? 0 : present.map { f1[$0] }.reduce(0, +) / Double(present.count)
  }
}
