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

  /// Human-readable result lines (stdout).
  public var lines: [String] {
    var out: [String] = []
    let kept = bestEpoch.map { "epoch \($0) of \(history.count)" } ?? "none"
    out.append("model: \(output) (\(labels.count) labels; kept \(kept); \(stop.summary))")
    for split in DatasetSplit.allCases {
      guard let m = metrics[split] else { continue }
      out.append(
        String(
          format: "%@ accuracy: %.2f%% (%d clips)",
          split.rawValue.padding(
            toLength: 10, withPad: " ", startingAt: 0), m.accuracy * 100, m.count))
    }
    if let r = retraining {
      for split in DatasetSplit.allCases {
        let o =
          r.oldLabelAccuracy[split.rawValue].map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"
        let n =
          r.newLabelAccuracy[split.rawValue].map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"
        guard metrics[split] != nil else { continue }
        out.append(
          "\(split.rawValue): old labels \(o), new labels (\(r.newLabels.joined(separator: ", "))) \(n)"
        )
      }
    }
    for f in reportFiles { out.append("report: \(f)") }
    return out
  }
}
