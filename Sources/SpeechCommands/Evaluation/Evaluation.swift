import Foundation
import SpeechModel

/// Which clips `speechcmd evaluate` scores.
public enum EvaluationSplit: String, Sendable, CaseIterable, Codable {
  case test, validation, train, all
}

/// The result of evaluating a model on data: the `ClassificationReport` of the scored clips and
/// what was scored. Its JSON is flat: the report's keys `accuracy`, `classes`, `confusion`,
/// `count`, `labels`, `macroF1`, plus `model`, `data` and `split`.
public struct EvaluationResult: Codable, Sendable, Equatable {
  /// Accuracy, F1, per-class figures and confusion matrix (labels: the model's).
  public var report: ClassificationReport
  /// The model evaluated.
  public var model: String
  /// The data folder or manifest.
  public var data: String
  /// The split scored.
  public var split: String
  /// Clips of `data` listed for the model (all splits), of which `report.count` were scored.
  public var listed: Int

  /// The figures of `report` for `model` on `split` of `data`, which lists `listed` clips.
  public init(
    report: ClassificationReport, model: String, data: String, split: String, listed: Int
  ) {
    self.report = report
    self.model = model
    self.data = data
    self.split = split
    self.listed = listed
  }

  private enum CodingKeys: String, CodingKey { case model, data, split, listed }

  public init(from decoder: any Decoder) throws {
    report = try ClassificationReport(from: decoder)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    model = try container.decode(String.self, forKey: .model)
    data = try container.decode(String.self, forKey: .data)
    split = try container.decode(String.self, forKey: .split)
    listed = try container.decode(Int.self, forKey: .listed)
  }

  public func encode(to encoder: any Encoder) throws {
    try report.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(model, forKey: .model)
    try container.encode(data, forKey: .data)
    try container.encode(split, forKey: .split)
    try container.encode(listed, forKey: .listed)
  }
}

/// `speechcmd evaluate`: scores a model on labelled recordings.
public enum Evaluator {
  /// Loads the model, lists and decodes the data the way training did (the model records its
  /// `--words`, shares, split percentages and seed), and scores `split`.
  ///
  /// Data labels the model lacks become `_unknown_` when the model has that class; otherwise
  /// they are an error, as is a split with no clips. Files skipped (not audio, unreadable, up to
  /// `maxUnreadable`) are named through `warning`, as training names them.
  public static func evaluate(
    modelPath: String, data: DataSource, split: EvaluationSplit, maxUnreadable: Int = 10,
    status: (String) -> Void = { _ in }, warning: (String) -> Void = { _ in }
  ) throws -> EvaluationResult {
    let model: ModelFile
    do {
      model = try ModelFile.load(at: modelPath, readingMemory: false)
    } catch {
      throw TrainingError.badModel(path: modelPath, reason: error.problem)
    }
    // The checks `classify` makes (front end, labels and normalisation agree; the scores are
    // numbers), so that a damaged file is named instead of crashing or scoring nonsense.
    let frontEnd: FrontEnd
    do {
      frontEnd = try Classifier(model: model, path: modelPath).frontEnd
    } catch {
      throw TrainingError.badModel(path: modelPath, reason: error.reason)
    }
    let t = model.metadata.training
    for key in ["unknownPercent", "silencePercent", "validationPercent", "testPercent"] {
      guard let text = t[key] else { continue }
      guard let value = Double(text), value.isFinite, value >= 0,
        value <= LabelOptions.everyClipPercent
      else {
        throw TrainingError.badModel(
          path: modelPath, reason: "its training record gives \(key) '\(text)'")
      }
    }
    let rule = HashSplitRule(
      validationPercent: Double(t["validationPercent"] ?? "") ?? 10,
      testPercent: Double(t["testPercent"] ?? "") ?? 10)
    let seed = UInt64(t["seed"] ?? "") ?? 0
    var options = LabelOptions(
      unknownPercent: Double(t["unknownPercent"] ?? "") ?? 10,
      silencePercent: Double(t["silencePercent"] ?? "") ?? 10)
    let labels = model.metadata.labels
    status("listing \(data.path)")
    var listing = try data.listing(rule: rule)
    // A retrained model split few-take labels of its new recordings its own way (a few takes
    // to validation, none to test): the hash rule would call some of its training takes test.
    if t["from"] != nil, rule.validationPercent > 0 {
      listing = FewTakeSplit.apply(to: listing)
    }
    if let skipped = listing.skippedSummary { warning(skipped) }
    if let words = t["words"], !words.isEmpty {
      options.words = words.split(separator: ",").map(String.init)
      // Training kept a share of the non-command clips; `all` means every clip.
      if split == .all { options.unknownPercent = LabelOptions.everyClipPercent }
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
    if let skipped = dataset.unreadableSummary { warning(skipped) }
    let indices: [Int]
    switch split {
    case .all: indices = Array(dataset.examples.indices)
    case .test: indices = dataset.indices(in: .test)
    case .validation: indices = dataset.indices(in: .validation)
    case .train: indices = dataset.indices(in: .train)
    }
    if indices.isEmpty { throw DatasetError.emptySplit(path: data.path, split: split.rawValue) }
    let trainer = Trainer(dataset: dataset, frontEnd: frontEnd, options: TrainingOptions())
    let normaliser = FeatureStandardiser(
      mean: model.metadata.inputMean, std: model.metadata.inputStd)
    status("scoring \(indices.count) clips")
    let predicted = trainer.predictions(
      model.network, of: indices, normaliser: normaliser, loss: model.metadata.loss)
    let metrics = ClassificationMetrics(
      labels: labels, truth: indices.map { dataset.examples[$0].label }, predicted: predicted)
    return EvaluationResult(
      report: ClassificationReport(metrics), model: modelPath, data: data.path,
      split: split.rawValue, listed: dataset.examples.count)
  }
}
