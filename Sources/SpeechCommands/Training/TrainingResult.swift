import Foundation

/// What a training run produced, for the command to print.
public struct TrainingResult: Sendable {
  /// Class names in output order.
  public var labels: [String]
  /// One record per finished epoch.
  public var history: [EpochRecord]
  /// The epoch whose weights were saved.
  public var bestEpoch: Int?
  /// Why training ended.
  public var stop: StopReason
  /// Figures of the saved model on each split that has clips (un-augmented).
  public var metrics: [DatasetSplit: ClassificationMetrics]
  /// Labels the model had before retraining (nil for a new model).
  public var oldLabelCount: Int?
  /// The model path written.
  public var output: String
  /// Report files written.
  public var reportFiles: [String]
  /// `listen`'s settings fitted on validation streams and stored in the model (nil: none).
  public var operatingPoint: OperatingPoint? = nil
  /// Whether `operatingPoint` is the old model's, carried over because none could be fitted.
  public var operatingPointInherited = false
  /// Whether the probabilities were calibrated on the validation split.
  public var calibrated = false
  /// What people should know about the run (calibration or operating point skipped, and why).
  public var notes: [String] = []
  /// Clips the saved network trained on when it was trained again on the training and
  /// validation clips together (`RefitOnValidation`); nil when it was not. Its `train` figures
  /// are then over those clips, and its `validation` figures are the first network's.
  public var refitClips: Int? = nil

  /// Accuracy on old and new labels per split, when the model was retrained with new labels.
  public var retraining: RetrainingReport? {
    guard let old = oldLabelCount else { return nil }
    let oldSet = Set(0..<old)
    let newSet = Set(old..<labels.count)
    var oldAcc: [String: Double] = [:]
    var newAcc: [String: Double] = [:]
    for (split, m) in metrics {
      oldAcc[split.rawValue] = m.accuracy(over: oldSet)
      newAcc[split.rawValue] = m.accuracy(over: newSet)
    }
    return RetrainingReport(
      oldLabels: Array(labels[..<old]), newLabels: Array(labels[old...]),
      oldLabelAccuracy: oldAcc, newLabelAccuracy: newAcc)
  }
}
