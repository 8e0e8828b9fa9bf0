import Foundation

/// Accuracy, per-class figures and confusion matrix of one set of clips, as JSON reports hold it.
public struct ClassificationReport: Codable, Sendable, Equatable {
  /// Fraction classified correctly.
  public var accuracy: Double
  /// Number of clips.
  public var count: Int
  /// Mean F1 over the classes present.
  public var macroF1: Double
  /// Class names indexing `confusion`.
  public var labels: [String]
  /// Precision, recall, F1 and support per class.
  public var classes: [ClassMetrics]
  /// `confusion[true][predicted]` counts.
  public var confusion: [[Int]]

  public init(_ m: ClassificationMetrics) {
    accuracy = m.accuracy
    count = m.count
    macroF1 = m.macroF1
    labels = m.labels
    classes = m.classes
    confusion = m.confusion
  }
}
