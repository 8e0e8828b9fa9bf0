import Foundation
import SpeechModel

/// Which clips `speechcmd evaluate` scores.
public enum EvaluationSplit: String, Sendable, CaseIterable, Codable {
  case test, validation, train, all
}

/// The result of evaluating a model on data; its JSON has the keys `accuracy`, `classes`,
/// `confusion` and `count`, plus `labels`, `macroF1`, `model`, `data` and `split`.
public struct EvaluationResult: Codable, Sendable, Equatable {
  /// Fraction of clips classified correctly.
  public var accuracy: Double
  /// Number of clips scored.
  public var count: Int
  /// Mean F1 over the classes present.
  public var macroF1: Double
  /// Class names (the model's), indexing `confusion`.
  public var labels: [String]
  /// Precision, recall, F1 and support per class.
  public var classes: [ClassMetrics]
  /// `confusion[true][predicted]`.
  public var confusion: [[Int]]
  /// The model evaluated.
  public var model: String
  /// The data folder or manifest.
  public var data: String
  /// The split scored.
  public var split: String

  /// Pretty JSON with sorted keys.
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
  }

  /// A plain-text table: accuracy, per-class precision/recall/F1/support, confusion matrix.
  public func text() -> String {
    var s = String(
      format: "%@ on %@ (%@ split): accuracy %.2f%% of %d clips, macro F1 %.3f\n\n", model, data,
      split, accuracy * 100, count, macroF1)
    let width = max(8, (labels.map(\.count).max() ?? 0) + 2)
    func pad(_ t: String, _ w: Int) -> String {
      t.count >= w ? t : String(repeating: " ", count: w - t.count) + t
    }
    func left(_ t: String) -> String { t.padding(toLength: width, withPad: " ", startingAt: 0) }
    s +=
      left("label") + pad("precision", 10) + pad("recall", 8) + pad("F1", 8) + pad("clips", 7)
      + "\n"
    for c in classes {
      s +=
        left(c.label) + pad(String(format: "%.3f", c.precision), 10)
        + pad(String(format: "%.3f", c.recall), 8) + pad(String(format: "%.3f", c.f1), 8)
        + pad("\(c.support)", 7) + "\n"
    }
    s += "\nconfusion (rows: true, columns: predicted)\n"
    let cell = max(5, (confusion.flatMap { $0 }.max().map { "\($0)".count } ?? 1) + 1)
    s += left("") + labels.indices.map { pad("\($0)", cell) }.joined() + "\n"
    for (i, row) in confusion.enumerated() {
      s += left("\(i) \(labels[i])") + row.map { pad("\($0)", cell) }.joined() + "\n"
    }
    return s
  }
}

/// `speechcmd evaluate`: scores a model on labelled recordings.
public enum Evaluator {
  /// Loads the model, lists and decodes the data the way training did (the model records its
  /// `--words`, shares, split percentages and seed), and scores `split`.
  ///
  /// Data labels the model lacks become `_unknown_` when the model has that class; otherwise
  /// they are an error, as is a split with no clips.
  public static func evaluate(
    modelPath: String, data: DataSource, split: EvaluationSplit, maxUnreadable: Int = 10,
    status: (String) -> Void = { _ in }
  ) throws -> EvaluationResult {
    let model: ModelFile
    do {
      model = try ModelFile.load(at: modelPath)
    } catch {
      throw TrainingError.badModel(path: modelPath, reason: "\(error)")
    }
    let config: FrontEndConfig
    do {
      config = try FrontEndConfig(jsonString: model.metadata.featureConfig)
    } catch {
      throw TrainingError.badModel(
        path: modelPath, reason: "its feature configuration is not readable")
    }
    let frontEnd = try FrontEnd(config: config)
    let t = model.metadata.training
    let rule = HashSplitRule(
      validationPercent: Double(t["validationPercent"] ?? "") ?? 10,
      testPercent: Double(t["testPercent"] ?? "") ?? 10)
    let seed = UInt64(t["seed"] ?? "") ?? 0
    var options = LabelOptions(
      unknownPercent: Double(t["unknownPercent"] ?? "") ?? 10,
      silencePercent: Double(t["silencePercent"] ?? "") ?? 10)
    let labels = model.metadata.labels
    status("listing \(data.path)")
    let listing = try data.listing(rule: rule)
    if let words = t["words"], !words.isEmpty {
      options.words = words.split(separator: ",").map(String.init)
    }
    let plan: LabelPlan
    if options.words != nil {
      // Only the model's words that the data has, so a folder holding a subset still works.
      options.words = options.words!.filter { listing.labels.contains($0) }
      plan = try LabelPlan.make(listing: listing, options: options, existing: labels, seed: seed)
    } else {
      let extra = listing.labels.filter { !labels.contains($0) }
      if !extra.isEmpty && !labels.contains(unknownLabel) {
        throw DatasetError.unknownLabels(path: data.path, labels: extra, modelLabels: labels)
      }
      var mapped = listing
      mapped.recordings = listing.recordings.map { r in
        var r = r
        if !labels.contains(r.label) { r.label = unknownLabel }
        return r
      }
      plan = try LabelPlan.make(
        listing: mapped, options: LabelOptions(), existing: labels, seed: seed)
    }
    if plan.labels != labels {
      let extra = plan.labels.filter { !labels.contains($0) }
      throw DatasetError.unknownLabels(path: data.path, labels: extra, modelLabels: labels)
    }
    status("decoding \(plan.selected.count) recordings")
    let dataset = try DatasetLoader.load(
      plan: plan, noiseFiles: listing.noiseFiles, frontEnd: frontEnd, seed: seed,
      maxUnreadable: maxUnreadable, source: data.path, mayBeEmpty: Set(labels))
    let indices: [Int]
    switch split {
    case .all: indices = Array(dataset.examples.indices)
    case .test: indices = dataset.indices(in: .test)
    case .validation: indices = dataset.indices(in: .validation)
    case .train: indices = dataset.indices(in: .train)
    }
    if indices.isEmpty { throw DatasetError.emptySplit(path: data.path, split: split.rawValue) }
    let trainer = Trainer(dataset: dataset, frontEnd: frontEnd, options: TrainingOptions())
    let normaliser = FeatureStandardiser(mean: model.metadata.inputMean, std: model.metadata.inputStd)
    status("scoring \(indices.count) clips")
    let x = trainer.features(of: indices, normaliser: normaliser)
    let predicted = argmax(Trainer.logits(model.network, x))
    let metrics = ClassificationMetrics(
      labels: labels, truth: indices.map { dataset.examples[$0].label }, predicted: predicted)
    return EvaluationResult(
      accuracy: metrics.accuracy, count: metrics.count, macroF1: metrics.macroF1, labels: labels,
      classes: metrics.classes, confusion: metrics.confusion, model: modelPath, data: data.path,
      split: split.rawValue)
  }
}
