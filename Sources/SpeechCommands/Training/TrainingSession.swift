import Foundation
import SpeechModel

/// Everything `speechcmd train` needs to know.
public struct TrainingJob: Sendable {
  /// The recordings to train on (`DATA` or `--manifest`); for retraining, the new recordings.
  public var data: [DataSource]
  /// Recordings mixed in when retraining (`--data OLD_DATA`), so old words are not forgotten.
  public var mixData: [DataSource] = []
  /// The model to continue from (`--from`); its front end, normalisation and labels are kept.
  public var fromModel: String? = nil
  /// Feature settings of a new model (ignored with `fromModel`).
  public var frontEnd: FrontEndConfig = .default
  /// End a new model's mel filters at the Nyquist frequency of the median training recording
  /// when it lies below `frontEnd`'s upper edge (`RecordingBandwidth`). Default on; off when
  /// the user chose the upper edge (`--mfcc maxFrequency=`).
  public var fitsMelRangeToRecordings = true
  /// How folder labels become classes.
  public var labels = LabelOptions()
  /// Split percentages for data without list files or a split column.
  public var split = HashSplitRule()
  /// Hyperparameters (`TrainingOptions.retraining` suits retraining).
  public var options = TrainingOptions()
  /// How retraining keeps the old model (used with `fromModel`).
  public var retraining = RetrainingOptions()
  /// Extra background-noise folder (`--noise`), besides any `_background_noise_/`.
  public var noiseFolder: String? = nil
  /// Most unreadable files tolerated (skipped with a warning); more is an error. Default 10.
  public var maxUnreadable = 10
  /// Where the model is written.
  public var output: String
  /// Folder for `metrics.json`, `confusion.svg`, `curves.svg` (nil: no report).
  public var reportFolder: String? = nil
  /// File receiving one JSON object per epoch (nil: none).
  public var logJSON: String? = nil
  /// The date recorded in the model (fixed in tests so models are byte-identical).
  public var date = Date()
  /// Fit `listen`'s operating point on streams of the validation split and store it in the
  /// model (`OperatingPoint`). Default on; kept out of `TrainingOptions` so that a model trained
  /// without it is byte-identical to one trained before it existed.
  public var fitOperatingPoint = true
  /// Training clips per label whose features are kept in the model as its replay memory
  /// (`ReplayMemory`), for retraining without the old data; when retraining without it, also
  /// the most memory rows per label replayed. 0: no memory. Default 64.
  public var memoryRows = 64
  /// With a validation split, the network is trained a second time from the same start (from
  /// scratch, or from the old model when retraining) with the same options and seed, on the
  /// training and validation clips together; the first network's validation figures,
  /// calibration temperature and operating point are kept for it (`RefitOnValidation`).
  /// Default on; ignored when the first network keeps its best validation epoch (`--keep best`:
  /// the validation clips chose the epoch).
  public var refitsOnValidation = true

  public init(data: [DataSource], output: String) {
    self.data = data
    self.output = output
  }
}

/// A training run: everything is checked and decoded in `init` (so errors come before any
/// training work), then `run` trains, saves the model and writes the report.
public struct TrainingSession: Sendable {
  /// The request, with retraining's inherited settings filled in.
  public private(set) var request: TrainingJob
  /// The decoded clips.
  public let dataset: LoadedDataset
  /// The front end (the old model's when retraining).
  public let frontEnd: FrontEnd
  /// Notes for the user (skipped files, missing noise…).
  public let warnings: [String]
  /// The labels whose takes the few-take rule split (`FewTakeSplit`, when retraining) rather
  /// than the hash rule: the hash rule's percentages did not make their splits.
  public let fewTakeLabels: Set<String>
  /// What training chose from the data that the user did not ask for (the mel range fitted to
  /// the recordings' bandwidth, generated noise).
  public let notes: [String]
  /// The model being retrained, if any.
  public let oldModel: ModelFile?

  /// Clips per split, to warn about lopsided splits before training (`SplitBalance`).
  public var splitBalance: SplitBalance { balance { _ in true } }

  /// Clips per split of the labels the hash rule split (all but `fewTakeLabels`): a lopsided
  /// split there is the hash rule's, whatever the few-take labels add.
  public var hashSplitBalance: SplitBalance {
    balance { !fewTakeLabels.contains(dataset.labels[dataset.examples[$0].label]) }
  }

  /// Clips per split among the examples `included` keeps.
  private func balance(_ included: (Int) -> Bool) -> SplitBalance {
    func count(_ split: DatasetSplit) -> Int { dataset.indices(in: split).filter(included).count }
    return SplitBalance(train: count(.train), validation: count(.validation), test: count(.test))
  }

  /// Lists, plans and decodes the data; `status` receives one-line progress notes.
  public init(_ request: TrainingJob, status: (String) -> Void = { _ in }) throws {
    var request = request
    try OutputFile.checkWritable(request.output)
    if let log = request.logJSON { try OutputFile.checkWritable(log) }
    if let report = request.reportFolder { try OutputFile.checkFolderWritable(report) }
    try request.options.validate()
    try request.retraining.validate()
    var oldModel: ModelFile?
    var frontEndConfig = request.frontEnd
    var existing: [String] = []
    if let path = request.fromModel {
      let model: ModelFile
      do {
        model = try ModelFile.load(at: path)
      } catch {
        throw TrainingError.badModel(path: path, reason: error.problem)
      }
      // The checks `classify` makes (front end, labels and normalisation agree; the scores
      // are numbers): a damaged file is named before training starts from it.
      do {
        frontEndConfig = try Classifier(model: model, path: path).frontEnd.config
      } catch {
        throw TrainingError.badModel(path: path, reason: error.reason)
      }
      oldModel = model
      existing = model.metadata.labels
      request.options.loss = model.metadata.loss
      request.options.hidden = model.network.hidden
      request.options.convolution = model.network.convolution?.layers
      request.frontEnd = frontEndConfig
    }
    status("listing \(request.data.map(\.path).joined(separator: ", "))")
    var listing = try request.data[0].listing(rule: request.split)
    for source in request.data.dropFirst() {
      listing = try listing.merged(with: source.listing(rule: request.split))
    }
    // Few takes of a label get their own split, unless no validation was asked for
    // (`--validation-percent 0`: every take trains).
    var fewTakeLabels: Set<String> = []
    if oldModel != nil, request.split.validationPercent > 0 {
      fewTakeLabels = Set(FewTakeSplit.fewTakeLabels(of: listing).keys)
      listing = FewTakeSplit.apply(to: listing)
    }
    for source in request.mixData {
      listing = try listing.merged(with: source.listing(rule: request.split))
    }
    var warnings: [String] = listing.skippedSummary.map { [$0] } ?? []
    var noise = listing.noiseFiles
    if let folder = request.noiseFolder { noise += try DatasetListing.noiseFiles(in: folder) }

    if let old = oldModel, request.labels.words == nil,
      let words = old.metadata.training["words"], !words.isEmpty
    {
      // The old model kept some words and folded the rest into _unknown_: keep doing so, adding
      // the new data's own labels as new words.
      let reserved: Set<String> = [unknownLabel, silenceLabel]
      var list = words.split(separator: ",").map(String.init)
      let newListing = try request.data[0].listing(rule: request.split)
      for label in newListing.labels where !reserved.contains(label) && !existing.contains(label) {
        list.append(label)
      }
      request.labels.words = list
    }
    let plan = try LabelPlan.make(
      listing: listing, options: request.labels, existing: existing, seed: request.options.seed)
    var notes: [String] = []
    if oldModel == nil, request.fitsMelRangeToRecordings,
      let bandwidth = RecordingBandwidth(
        paths: plan.selected.map(\.recording).filter { $0.split == .train }.map(\.path))
    {
      let fitted = frontEndConfig.fitted(to: bandwidth)
      frontEndConfig = fitted.config
      request.frontEnd = fitted.config
      notes += fitted.note.map { [$0] } ?? []
    }
    let frontEnd: FrontEnd
    do {
      frontEnd = try FrontEnd(config: frontEndConfig)
    } catch {
      throw TrainingError.invalidOption("feature configuration: \(error)")
    }
    if oldModel == nil, let problem = request.options.frameConvolution(for: frontEnd)?.problem {
      throw TrainingError.invalidOption(
        "--conv over \(frontEnd.frames) frames of \(frontEnd.coefficients) values: \(problem)")
    }
    status("decoding \(plan.selected.count) recordings")
    var dataset = try DatasetLoader.load(
      plan: plan, noiseFiles: noise, frontEnd: frontEnd, seed: request.options.seed,
      maxUnreadable: request.maxUnreadable, source: listing.source, mayBeEmpty: Set(existing))
    // Said before any work, naming the data (a manifest whose every row is `validation`).
    if dataset.indices(in: .train).isEmpty {
      throw DatasetError.emptySplit(path: listing.source, split: "training")
    }
    warnings += dataset.warnings
    if oldModel == nil, dataset.noise.isEmpty, request.options.augmentation.mixesNoise {
      dataset.noise = GeneratedNoise.recordings(
        sampleRate: frontEndConfig.sampleRate, seed: request.options.seed)
      notes.append(
        "no background-noise recordings (_background_noise_ or --noise DIR): training clips get "
          + "generated white and pink noise at a low level instead")
    }
    self.request = request
    self.dataset = dataset
    self.frontEnd = frontEnd
    self.warnings = warnings
    self.fewTakeLabels = fewTakeLabels
    self.notes = notes
    self.oldModel = oldModel
  }

  /// Trains, writes the model (atomically) and the report; returns what happened.
  ///
  /// Ctrl-C (`shouldStop` true) ends training after the current batch: the best model so far is
  /// saved and the summary's `stop` is `.interrupted`. A NaN/infinite loss saves the best model
  /// so far and throws `TrainingError.diverged`.
  ///
  /// OpenBLAS runs on one thread for the whole run, held against other work in the process
  /// (`LinearAlgebra.withExactThreadCount`): the same seed and data give the same bytes whatever
  /// runs beside it and on any number of cores (a product's bits depend on the thread count).
  /// One thread loses nothing: the network's products are too small for a second one to pay
  /// (30 epochs on speech-commands-dev took about as long), and the second training runs beside the
  /// first on the other core (`BackgroundTraining`).
  public func run(
    observe: (TrainingEvent) -> Void = { _ in }, shouldStop: () -> Bool = { false }
  ) throws -> TrainingResult {
    try LinearAlgebra.withExactThreadCount(Self.blasThreads) {
      try runHoldingThreadCount(observe: observe, shouldStop: shouldStop)
    }
  }

  private func runHoldingThreadCount(
    observe: (TrainingEvent) -> Void, shouldStop: () -> Bool
  ) throws -> TrainingResult {
    var trainer = Trainer(dataset: dataset, frontEnd: frontEnd, options: request.options)
    trainer.retraining = request.retraining
    if let old = oldModel, let memory = old.memory, request.mixData.isEmpty,
      dataset.labels.count > old.metadata.labels.count
    {
      trainer.replay = selectMemory(
        Matrix(rows: memory.rows, cols: memory.inputs, values: memory.features),
        labels: memory.labels)
    }
    let start: TrainingStart
    if let old = oldModel {
      let normaliser = FeatureStandardiser(mean: old.metadata.inputMean, std: old.metadata.inputStd)
      start = .from(
        old.network, normaliser, addedOutputs: dataset.labels.count - old.metadata.labels.count)
    } else {
      start = .fresh
    }
    // The second training needs nothing of the first until both end: it starts now, beside it.
    let refitter = plansRefit ? RefitOnValidation(trainer: trainer) : nil
    let second = refitter?.begin(start: start)
    // Abandoned unless finished: the first training failed or was interrupted, or the run threw.
    defer { second?.abandon() }
    var logLines: [String] = []
    var logError: OutputError?
    let outcome = try trainer.train(
      start: start,
      observe: { event in
        if case .epoch(let record, _) = event, let path = request.logJSON, logError == nil {
          logLines.append(record.jsonLine())
          do throws(OutputError) {
            try OutputFile.write(logLines.joined(separator: "\n") + "\n", to: path)
          } catch {
            logError = error
          }
        }
        observe(event)
      },
      shouldStop: {
        let stop = shouldStop()
        if stop { second?.interrupt() }
        return stop
      })
    if let logError { throw logError }

    guard let trained = outcome.network else {
      if case .nonFinite(let e, let b, let l) = outcome.stop {
        throw TrainingError.diverged(epoch: e, batch: b, loss: l, kept: nil, output: request.output)
      }
      throw TrainingError.interruptedBeforeFirstEpoch
    }
    let first = biasingNewLabels(trained)
    let refitting = refits(outcome) && !shouldStop()
    // A first network that the second training replaces is measured on validation alone: its
    // other figures and its memory would be thrown away.
    var summary = result(
      network: first, normaliser: outcome.normaliser, trainer: trainer, outcome: outcome,
      splits: refitting ? [.validation] : DatasetSplit.allCases)
    var model = try makeModel(
      network: first, normaliser: outcome.normaliser, logitScale: outcome.logitScale,
      summary: summary.result)
    model.memory = summary.memory
    var notes: [String] = []
    if let why = outcome.calibration.skippedBecause {
      let kept = oldModel?.metadata.training["logitScale"] != nil
      notes.append(
        (kept ? "the old model's calibration kept: " : "probabilities not calibrated: ") + why)
    }
    let (operatingPoint, inherited) = try fitOperatingPoint(
      model: model, observe: observe, notes: &notes)
    var stop = outcome.stop
    if refitting, let refitter, let second {
      let refit = try refitter.finish(
        second, logitScale: outcome.logitScale, observe: observe, shouldStop: shouldStop)
      var network = first
      var normaliser = outcome.normaliser
      if let refitted = refit.network, refit.stop == .completed {
        let second = biasingNewLabels(refitted)
        var refitSummary = result(
          network: second, normaliser: refit.normaliser, trainer: refitter.trainer, outcome: refit)
        // The validation clips trained the refit network: its figure on them says nothing of
        // unseen voices, so the first network's (measured before they were trained on) stays.
        refitSummary.result.metrics[.validation] = summary.result.metrics[.validation]
        // The report's curves stay the first run's: they are the ones with validation figures.
        refitSummary.result.history = summary.result.history
        refitSummary.result.refitClips = refitter.trainer.dataset.indices(in: .train).count
        summary = refitSummary
        (network, normaliser) = (second, refit.normaliser)
      } else {
        // Interrupted or diverged: the first network is kept, so it is measured in full.
        summary = result(
          network: first, normaliser: outcome.normaliser, trainer: trainer, outcome: outcome)
      }
      model = try makeModel(
        network: network, normaliser: normaliser, logitScale: outcome.logitScale,
        summary: summary.result)
      model.memory = summary.memory
      if refit.stop == .interrupted { stop = .interrupted }
      if case .nonFinite = refit.stop {
        observe(.status("the second training diverged: keeping the first network"))
      }
    }
    var result = summary.result
    result.stop = stop
    result.calibrated = outcome.calibration.isFitted
    result.notes = notes
    if let point = operatingPoint {
      model.metadata.operatingPoint = try point.jsonString()
      result.operatingPoint = point
      result.operatingPointInherited = inherited
    }
    var carried: [String] = []
    if !outcome.calibration.isFitted, let scale = oldModel?.metadata.training["logitScale"] {
      // The old network's temperature is folded into the weights retraining started from.
      model.metadata.training["logitScale"] = scale
      carried.append("calibration")
    }
    if inherited { carried.append("operatingPoint") }
    if !carried.isEmpty {
      model.metadata.training[TrainingMetadataKeys.inherited] = carried.joined(separator: ",")
    }
    try model.save(to: request.output)
    if let folder = request.reportFolder {
      result.reportFiles = try report(result).write(to: folder)
    }
    if case .nonFinite(let e, let b, let l) = outcome.stop {
      throw TrainingError.diverged(
        epoch: e, batch: b, loss: l, kept: outcome.bestEpoch, output: request.output)
    }
    return result
  }

  /// `listen`'s operating point for the first network `model`: fitted on streams of the
  /// validation split, else (retraining) the old model's, else none; whether it is the old
  /// model's. Says in `notes` why it was not fitted when fitting was asked for.
  func fitOperatingPoint(
    model: ModelFile, observe: (TrainingEvent) -> Void, notes: inout [String]
  ) throws -> (OperatingPoint?, inherited: Bool) {
    guard request.fitOperatingPoint else { return (nil, false) }
    var why =
      dataset.indices(in: .validation).isEmpty
      ? "the validation split is empty" : OperatingPointFitter.missingStreams(in: dataset)
    if why == nil {
      observe(.status("fitting listen's operating point on validation streams"))
      let classifier = try Classifier(model: model, path: request.output)
      if let point = OperatingPointFitter.fit(classifier: classifier, dataset: dataset) {
        return (point, false)
      }
      why = "no threshold kept the validation streams' false accepts within the limits"
    }
    let reason = why ?? ""
    if let json = oldModel?.metadata.operatingPoint, var old = OperatingPoint(jsonString: json) {
      notes.append("listen's operating point kept from the old model: \(reason)")
      old.fit = nil  // its figures were the old network's
      return (old, true)
    }
    notes.append("listen's operating point not fitted (listen uses its defaults): \(reason)")
    return (nil, false)
  }

  /// Whether the run means to train again on training + validation clips
  /// (`refitsOnValidation`): it keeps the last epoch and has validation clips.
  var plansRefit: Bool {
    request.refitsOnValidation && request.options.kept == .last
      && !dataset.indices(in: .validation).isEmpty
  }

  /// Whether the second training's network replaces the first: the run planned one and the
  /// first network completed its epochs.
  func refits(_ outcome: TrainedNetwork) -> Bool {
    plansRefit && outcome.stop == .completed
  }

  /// OpenBLAS's thread count while training (see `run`).
  static let blasThreads = 1

  /// The figures of `network` on `splits` of `trainer`'s dataset (those with clips), and, when
  /// the training split is among them, the memory it keeps (chosen among the clips it trained on).
  func result(
    network: MLP, normaliser: FeatureStandardiser, trainer: Trainer, outcome: TrainedNetwork,
    splits: [DatasetSplit] = DatasetSplit.allCases
  ) -> (result: TrainingResult, memory: ReplayMemory?) {
    let data = trainer.dataset
    var metrics: [DatasetSplit: ClassificationMetrics] = [:]
    var memory: ReplayMemory?
    for split in splits {
      let idx = data.indices(in: split)
      guard !idx.isEmpty else { continue }
      if split == .train {
        let x = trainer.features(of: idx, normaliser: normaliser)
        memory = keptMemory(x, labels: idx.map { data.examples[$0].label })
      }
      let predicted = trainer.predictions(
        network, of: idx, normaliser: normaliser, loss: request.options.loss)
      metrics[split] = ClassificationMetrics(
        labels: data.labels, truth: idx.map { data.examples[$0].label }, predicted: predicted)
    }
    let result = TrainingResult(
      labels: data.labels, history: outcome.history, bestEpoch: outcome.bestEpoch,
      stop: outcome.stop, metrics: metrics, oldLabelCount: oldModel?.metadata.labels.count,
      output: request.output, reportFiles: [])
    return (result, memory)
  }

  /// The memory the new model keeps: `memoryRows` per label chosen among the old model's
  /// memory rows and `train`, the features of this run's training clips (normalised) with
  /// their `labels`, so old labels without new clips carry their rows forward. Training clips
  /// that are already memory rows (retraining with `--data` brings the old clips back) count
  /// once, so the memory does not keep the same clip twice.
  func keptMemory(_ train: Matrix, labels: [Int]) -> ReplayMemory? {
    var values = oldModel?.memory?.features ?? []
    var candidateLabels = oldModel?.memory?.labels ?? []
    let cols = train.cols
    var remembered = Set<[Float]>()
    if !candidateLabels.isEmpty {
      for r in candidateLabels.indices {
        remembered.insert(Array(values[r * cols..<(r + 1) * cols]))
      }
    }
    for (r, label) in labels.enumerated() {
      let row = train.values[r * cols..<(r + 1) * cols]
      if !remembered.isEmpty && remembered.contains(Array(row)) { continue }
      values += row
      candidateLabels.append(label)
    }
    return selectMemory(
      Matrix(rows: candidateLabels.count, cols: cols, values: values), labels: candidateLabels)
  }

  /// `memoryRows` rows per label of `candidates` (see `MemorySelection`).
  func selectMemory(_ candidates: Matrix, labels: [Int]) -> ReplayMemory? {
    MemorySelection.select(
      candidates, labels: labels, classes: dataset.labels.count, rowsPerLabel: request.memoryRows)
  }

  /// The model file: network, labels, front end, normalisation and a training summary.
  func makeModel(
    network: MLP, normaliser: FeatureStandardiser, logitScale: Float, summary: TrainingResult
  ) throws
    -> ModelFile
  {
    let o = request.options
    var training: [String: String] = [
      "data": (request.data + request.mixData).map(\.path).joined(separator: ", "),
      "clips": DatasetSplit.allCases.map { "\($0.rawValue) \(dataset.indices(in: $0).count)" }
        .joined(separator: ", "),
      "epochs": "\(summary.history.count)",
      "bestEpoch": summary.bestEpoch.map(String.init) ?? "",
      "date": ISO8601DateFormatter().string(from: request.date),
      "seed": "\(o.seed)",
      "unknownPercent": "\(request.labels.unknownPercent)",
      "silencePercent": "\(request.labels.silencePercent)",
      "validationPercent": "\(request.split.validationPercent)",
      "testPercent": "\(request.split.testPercent)",
      "stop": summary.stop.summary,
    ]
    if logitScale != 1 { training["logitScale"] = String(format: "%.4f", logitScale) }
    if let n = summary.refitClips { training["refitClips"] = "\(n)" }
    for (split, m) in summary.metrics {
      training[split == .validation ? "accuracy" : "\(split.rawValue)Accuracy"] =
        String(format: "%.4f", m.accuracy)
    }
    if let words = request.labels.words { training["words"] = words.joined(separator: ",") }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let from = request.fromModel {
      training["from"] = from
      training["retraining"] = String(
        decoding: try encoder.encode(request.retraining), as: UTF8.self)
    }
    training["options"] = String(decoding: try encoder.encode(o), as: UTF8.self)
    let metadata = ModelMetadata(
      labels: dataset.labels, featureConfig: try frontEnd.config.jsonString(),
      inputMean: normaliser.mean, inputStd: normaliser.std,
      architecture: ModelArchitecture(network), loss: o.loss, training: training)
    return ModelFile(network: network, metadata: metadata)
  }

  /// The `metrics.json` content for `summary`.
  func report(_ summary: TrainingResult) -> TrainingMetricsReport {
    var clips: [String: [String: Int]] = [:]
    for split in DatasetSplit.allCases {
      let counts = dataset.classCounts(in: split)
      guard counts.reduce(0, +) > 0 else { continue }
      clips[split.rawValue] = Dictionary(uniqueKeysWithValues: zip(dataset.labels, counts))
    }
    var report = TrainingMetricsReport(
      labels: summary.labels, history: summary.history, bestEpoch: summary.bestEpoch,
      stopReason: summary.stop.summary,
      accuracy: Dictionary(
        uniqueKeysWithValues: summary.metrics.map { ($0.rawValue, $1.accuracy) }),
      splits: Dictionary(
        uniqueKeysWithValues: summary.metrics.map { ($0.rawValue, ClassificationReport($1)) }),
      retraining: summary.retraining, clips: clips,
      sources: (request.data + request.mixData).map(\.path), model: request.output,
      options: request.options, frontEnd: frontEnd.config, labelOptions: request.labels,
      date: ISO8601DateFormatter().string(from: request.date))
    report.refitClips = summary.refitClips
    return report
  }
}
