import Foundation

/// Accuracy on the old and on the new labels after retraining, per split.
public struct RetrainingReport: Codable, Sendable, Equatable {
  /// Labels the model had before.
  public var oldLabels: [String]
  /// Labels added by retraining.
  public var newLabels: [String]
  /// Split name → accuracy over clips of old labels (nil: no such clips).
  public var oldLabelAccuracy: [String: Double]
  /// Split name → accuracy over clips of new labels (nil: no such clips).
  public var newLabelAccuracy: [String: Double]
}

/// The content of `metrics.json`.
public struct TrainingMetricsReport: Codable, Sendable {
  /// Class names in output order.
  public var labels: [String]
  /// One record per finished epoch.
  public var history: [EpochRecord]
  /// The epoch whose weights the model holds.
  public var bestEpoch: Int?
  /// Why training ended.
  public var stopReason: String
  /// Split name → accuracy of the kept model (splits without clips left out).
  public var accuracy: [String: Double]
  /// Split name → full figures of the kept model.
  public var splits: [String: ClassificationReport]
  /// Old/new label accuracies when the model was retrained.
  public var retraining: RetrainingReport?
  /// Split name → label → clips.
  public var clips: [String: [String: Int]]
  /// The data folders or manifests used.
  public var sources: [String]
  /// The model written.
  public var model: String
  /// Training hyperparameters.
  public var options: TrainingOptions
  /// The front end (MFCC settings and clip length).
  public var frontEnd: FrontEndConfig
  /// How folder labels became classes.
  public var labelOptions: LabelOptions
  /// When training ran (ISO 8601).
  public var date: String
  /// Clips the saved network trained on when it was trained again on the training and
  /// validation splits together (nil: once, on the training split). Its `train` figures are
  /// then over those clips; `history` and the `validation` figures are the first network's.
  public var refitClips: Int? = nil

  /// Pretty-printed JSON with sorted keys.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try encoder.encode(self)
  }

  /// Writes `metrics.json`, `confusion.svg` (test split, else validation, else training) and
  /// `curves.svg` into `folder` (created if needed), each atomically. Returns the paths written.
  public func write(to folder: String) throws(OutputError) -> [String] {
    try OutputFile.makeDirectory(folder)
    let metricsPath = folder + "/metrics.json"
    do {
      try OutputFile.write(try json(), to: metricsPath)
    } catch let e as OutputError {
      throw e
    } catch {
      throw .unwritable(path: metricsPath, reason: "\(error)")
    }
    var written = [metricsPath]
    if let (name, split) = ["test", "validation", "train"].lazy.compactMap({ n in
      self.splits[n].map { (n, $0) }
    }).first {
      let metrics = ClassificationMetrics(labels: split.labels, confusion: split.confusion)
      let path = folder + "/confusion.svg"
      try OutputFile.write(
        SVGChart.confusion(metrics, title: "Confusion matrix (\(name) split)"), to: path)
      written.append(path)
    }
    let curves = folder + "/curves.svg"
    try OutputFile.write(
      SVGChart.curves(history, bestEpoch: bestEpoch, title: "Training curves"), to: curves)
    written.append(curves)
    return written
  }
}

extension ClassificationMetrics {
  /// Metrics from an existing confusion matrix.
  public init(labels: [String], confusion: [[Int]]) {
    self.init(labels: labels, truth: [], predicted: [])
    self.confusion = confusion
  }
}
