import Foundation
import SpeechFeatures
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// Small, fast training runs on synthetic words (8 kHz, 637 features, one hidden layer).
enum TrainingSetup {
  /// Three synthetic words, 30 takes each, plus background noise, written once per process.
  static let folder: TemporaryFolder = {
    let dir = try! TemporaryFolder.forProcess()
    try! SyntheticDataset.writeDataset(
      at: dir.path, words: ["alpha", "bravo", "charlie"], takes: 30, noiseSeconds: 3,
      sampleRate: 8000, seed: 1)
    return dir
  }()

  /// A small front end for 8 kHz synthetic words (fast in a debug build).
  static let frontEnd = SyntheticWords.frontEndConfig

  /// A quick request: small net, few epochs.
  static func request(_ data: String, out: String, seed: UInt64 = 0) -> TrainingJob {
    var r = TrainingJob(data: [.folder(data)], output: out)
    r.frontEnd = frontEnd
    r.split = HashSplitRule(validationPercent: 20, testPercent: 20)
    r.options.hidden = [32]
    r.options.convolution = nil  // these fixtures were written for the plain MLP
    r.options.featureMasks = FeatureMaskOptions()  // and without masks (a few frames per word)
    r.options.dropout = 0.1
    r.options.epochs = 12
    r.options.batchSize = 16
    r.options.learningRate = 3e-3
    r.options.patience = 0
    // The speed range these fixtures were written against: the product default (±10%, tuned on
    // real speakers) leaves 12 epochs on 8 kHz synthetic words a little short.
    r.options.augmentation.speedPerturbation = 0.05
    r.options.seed = seed
    r.date = Date(timeIntervalSince1970: 0)
    // One training per run: the second training on training + validation clips has its own
    // tests (`RefitTests`), and these are about the first.
    r.refitsOnValidation = false
    return r
  }
}

@Suite(.serialized, .tags(.slow)) struct TrainingTests {
  @Test func learnsSyntheticWordsAndWritesTheReport() throws {
    let out = try TemporaryFolder()
    var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/m.safetensors")
    r.reportFolder = out.path + "/report"
    r.logJSON = out.path + "/log.jsonl"
    let session = try TrainingSession(r)
    #expect(session.dataset.labels == ["alpha", "bravo", "charlie"])
    var epochs = 0
    let summary = try session.run(observe: { if case .epoch = $0 { epochs += 1 } })
    #expect(summary.stop == .completed && epochs == 12)
    let validation = try #require(summary.metrics[.validation])
    let test = try #require(summary.metrics[.test])
    #expect(validation.accuracy >= 0.8, "validation \(validation.accuracy)")
    #expect(test.accuracy >= 0.8, "test \(test.accuracy)")

    let model = try ModelFile.load(at: r.output)
    #expect(model.metadata.labels == ["alpha", "bravo", "charlie"])
    #expect(try FrontEndConfig(jsonString: model.metadata.featureConfig) == r.frontEnd)
    #expect(model.metadata.training["seed"] == "0")

    let lines = try String(contentsOfFile: r.logJSON!, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 12)
    let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
    #expect(first["epoch"] as? Int == 1 && first["validationAccuracy"] != nil)

    let metrics =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: out.path + "/report/metrics.json")))
      as! [String: Any]
    for key in ["history", "accuracy", "splits", "labels", "bestEpoch", "clips"] {
      #expect(metrics[key] != nil, "metrics.json lacks \(key)")
    }
    let splits = metrics["splits"] as! [String: [String: Any]]
    #expect(Set(splits.keys) == ["train", "validation", "test"])
    #expect(splits["test"]?["confusion"] as? [[Int]] == test.confusion)
    let svg = try String(contentsOfFile: out.path + "/report/confusion.svg", encoding: .utf8)
    #expect(svg.hasPrefix("<?xml") && svg.contains("</svg>") && svg.contains("charlie"))
    let curves = try String(contentsOfFile: out.path + "/report/curves.svg", encoding: .utf8)
    #expect(curves.contains("<polyline") && curves.hasSuffix("</svg>\n"))

    // evaluate re-creates the same test split and scores it the same way.
    let result = try Evaluator.evaluate(
      modelPath: r.output, data: .folder(TrainingSetup.folder.path), split: .test)
    #expect(result.report.confusion == test.confusion && result.report.count == test.count)
    let json =
      try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as! [String: Any]
    for key in ["accuracy", "classes", "confusion", "count"] { #expect(json[key] != nil) }
  }

  @Test(arguments: [
    (LossKind.binaryCrossEntropy, OptimizerKind.adamw, ScheduleKind.step),
    (LossKind.crossEntropy, OptimizerKind.sgd, ScheduleKind.constant),
  ])
  func otherLossesAndOptimisersTrain(
    loss: LossKind, optimizer: OptimizerKind, schedule: ScheduleKind
  )
    throws
  {
    let out = try TemporaryFolder()
    var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/m.safetensors")
    r.options.loss = loss
    r.options.optimizer = optimizer
    r.options.schedule = schedule
    r.options.autoPositiveWeight = true
    r.options.classWeighting = .balanced
    r.options.labelSmoothing = 0.1
    r.options.learningRate = optimizer == .sgd ? 0.05 : 3e-3
    let summary = try TrainingSession(r).run()
    #expect(try ModelFile.load(at: r.output).metadata.loss == loss)
    let accuracy = try #require(summary.metrics[.validation]).accuracy
    #expect(accuracy >= 0.7, "\(loss) \(optimizer): validation \(accuracy)")
  }

  /// A model file whose parts disagree (its front end makes more features than its network
  /// reads: an edited or damaged file) is named by `evaluate` and `train --from` before any
  /// work, with `classify`'s reason, instead of crashing on the first clip; so is a training
  /// record that would have `evaluate` draw 1e300% of the non-command clips.
  @Test func damagedModelsAreNamedByEvaluateAndRetraining() throws {
    let out = try TemporaryFolder()
    var mismatched = SyntheticFixture.model
    mismatched.metadata.featureConfig = mismatched.metadata.featureConfig.replacingOccurrences(
      of: #""coefficients":\d+"#, with: #""coefficients":12"#, options: .regularExpression)
    #expect(mismatched.metadata.featureConfig != SyntheticFixture.model.metadata.featureConfig)
    let path = out.path + "/mismatched.safetensors"
    try mismatched.save(to: path)
    func named(_ error: any Error) -> Bool {
      guard case TrainingError.badModel(let file, let reason) = error else { return false }
      return file == path && reason.contains("the front end makes")
    }
    #expect(
      performing: {
        try Evaluator.evaluate(
          modelPath: path, data: .folder(TrainingSetup.folder.path), split: .all)
      }, throws: named)
    var retrain = TrainingSetup.request(
      TrainingSetup.folder.path, out: out.path + "/new.safetensors")
    retrain.fromModel = path
    #expect(performing: { try TrainingSession(retrain) }, throws: named)
    #expect(!FileManager.default.fileExists(atPath: retrain.output))

    var record = SyntheticFixture.model
    record.metadata.training["unknownPercent"] = "1e300"
    let recorded = out.path + "/record.safetensors"
    try record.save(to: recorded)
    #expect(
      performing: {
        try Evaluator.evaluate(
          modelPath: recorded, data: .folder(TrainingSetup.folder.path), split: .all)
      },
      throws: { error in
        guard case TrainingError.badModel(let file, let reason) = error else { return false }
        return file == recorded && reason == "its training record gives unknownPercent '1e300'"
      })
  }

  /// A manifest without a training clip is named before any work.
  @Test func noTrainingClipIsNamedWithTheManifest() throws {
    let out = try TemporaryFolder()
    let data = TrainingSetup.folder.path
    let rows = try ["alpha", "bravo"].flatMap { label in
      try FileManager.default.contentsOfDirectory(atPath: data + "/" + label).sorted().prefix(3)
        .map { "\(data)/\(label)/\($0),\(label),validation" }
    }
    let manifest = out.path + "/all-validation.csv"
    try out.write("all-validation.csv", "path,label,split\n" + rows.joined(separator: "\n") + "\n")
    var r = TrainingSetup.request(data, out: out.path + "/m.safetensors")
    r.data = [.manifest(manifest)]
    #expect(throws: DatasetError.emptySplit(path: manifest, split: "training")) {
      try TrainingSession(r).run()
    }
    #expect(!FileManager.default.fileExists(atPath: r.output))
  }

  @Test func sameSeedSameModelBytes() throws {
    let out = try TemporaryFolder()
    var paths: [String] = []
    for (i, seed) in [5, 5, 6].enumerated() {
      var r = TrainingSetup.request(
        TrainingSetup.folder.path, out: out.path + "/m\(i).safetensors", seed: UInt64(seed))
      r.options.epochs = 3
      _ = try TrainingSession(r).run()
      paths.append(r.output)
    }
    let bytes = try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    #expect(bytes[0] == bytes[1])
    #expect(bytes[0] != bytes[2])
  }

  /// A network with convolutions over the frames trains, learns the synthetic words, is saved
  /// and classifies as it did in training, is reproducible to the byte, and is retrained with
  /// its convolutions kept.
  @Test func convolutionsTrainSaveAndRetrain() throws {
    let out = try TemporaryFolder()
    var paths: [String] = []
    var accuracy = 0.0
    for i in 0..<2 {
      var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.file("c\(i).safetensors"))
      r.options.convolution = [
        ConvolutionLayer(channels: 8, width: 5),
        ConvolutionLayer(channels: 8, width: 3, dilation: 2),
      ]
      let summary = try TrainingSession(r).run()
      accuracy = summary.metrics[.test]?.accuracy ?? 0
      paths.append(r.output)
    }
    let bytes = try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    #expect(bytes[0] == bytes[1])
    #expect(accuracy > 0.8, "test accuracy \(accuracy)")
    let model = try ModelFile.load(at: paths[0])
    #expect(model.network.convolution?.description == "8x5,8x3d2")
    #expect(model.metadata.formatVersion == 2)
    let classifier = try Classifier(model: model)
    let takes = try FileManager.default.contentsOfDirectory(
      atPath: TrainingSetup.folder.path + "/alpha"
    ).sorted().prefix(10).map { PathItem.file(TrainingSetup.folder.path + "/alpha/" + $0) }
    let labels = try BatchClassifier(classifier: classifier).classify(batch: Array(takes)).map {
      if case .classified(_, let windows, _) = $0 { return windows[0].label } else { return "" }
    }
    #expect(labels.filter { $0 == "alpha" }.count >= 8, "\(labels)")

    var again = TrainingSetup.request(TrainingSetup.folder.path, out: out.file("again.safetensors"))
    again.fromModel = paths[0]
    again.options.epochs = 2
    _ = try TrainingSession(again).run()
    #expect(try ModelFile.load(at: again.output).network.convolution == model.network.convolution)
  }

  /// Work beside training in the same process (the server's classify requests, other tests)
  /// switches OpenBLAS's thread count, which changes the bits of a product; training holds its
  /// own count, so its model bytes stay those of a quiet run.
  @Test func threadCountSwitchesBesideTrainingLeaveItsBytes() throws {
    let out = try TemporaryFolder()
    func train(_ name: String) throws -> Data {
      var r = TrainingSetup.request(
        TrainingSetup.folder.path, out: out.path + "/\(name).safetensors", seed: 5)
      r.options.epochs = 2
      _ = try TrainingSession(r).run()
      return try Data(contentsOf: URL(fileURLWithPath: r.output))
    }
    let quiet = try train("quiet")
    let switcher = ThreadCountSwitcher()
    switcher.start()
    let busy = try train("busy")
    let switches = switcher.stop()
    #expect(switches > 0)
    #expect(quiet == busy)
  }

  /// Temperature scaling changes how sure the model says it is, never what it says.
  @Test func calibrationScalesTheLogitsAndKeepsEveryPrediction() throws {
    let out = try TemporaryFolder()
    var summaries: [TrainingResult] = []
    var models: [ModelFile] = []
    for calibrate in [false, true] {
      var r = TrainingSetup.request(
        TrainingSetup.folder.path, out: out.path + "/m-\(calibrate).safetensors")
      r.options.calibrate = calibrate
      // Enough validation clips to fit a temperature on (`TemperatureScaling.minimumClips`),
      // and a network trained on few enough that it gets some of them wrong (a temperature
      // fitted on clips that are all right runs off its range and is not kept).
      r.split = HashSplitRule(validationPercent: 80, testPercent: 10)
      summaries.append(try TrainingSession(r).run())
      models.append(try ModelFile.load(at: r.output))
    }
    let (raw, calibrated) = (models[0], models[1])
    let scale = try #require(calibrated.metadata.training["logitScale"].flatMap(Float.init))
    #expect(raw.metadata.training["logitScale"] == nil)
    #expect(scale != 1 && TemperatureScaling.range.contains(scale))
    for split in [DatasetSplit.validation, .test] {
      #expect(summaries[0].metrics[split]?.confusion == summaries[1].metrics[split]?.confusion)
    }
    var rng = SeededGenerator(seed: 2)
    let d = raw.network.inputSize
    let x = Matrix(
      rows: 8, cols: d, values: (0..<8 * d).map { _ in Float.random(in: -2...2, using: &rng) })
    let (a, b) = (raw.network.logits(x).values, calibrated.network.logits(x).values)
    for (u, v) in zip(a, b) { #expect(abs(v - scale * u) <= 1e-3 * max(1, abs(u))) }
  }

  @Test func augmentationTouchesOnlyTrainingClips() throws {
    let r = TrainingSetup.request(TrainingSetup.folder.path, out: "/unused")
    let session = try TrainingSession(r)
    var options = r.options
    options.augmentation = AugmentationOptions(noiseProbability: 1, noiseVolume: 0.5)
    let trainer = Trainer(dataset: session.dataset, frontEnd: session.frontEnd, options: options)
    let val = session.dataset.indices(in: .validation)
    let train = session.dataset.indices(in: .train)
    // Validation and test features are the plain features of the stored clips, every time.
    let plain = trainer.features(of: val, normaliser: nil)
    #expect(
      plain.values == val.flatMap { session.frontEnd.features(clip: session.dataset.clips[$0]) })
    #expect(trainer.features(of: val, normaliser: nil) == plain)
    // Training features are redrawn: two epochs differ from each other and from the plain ones.
    let identity = FeatureStandardiser(
      mean: [Float](repeating: 0, count: session.frontEnd.inputSize),
      std: [Float](repeating: 1, count: session.frontEnd.inputSize))
    var rng = SeededGenerator(seed: 1)
    let e1 = trainer.augmentedFeatures(train, normaliser: identity, using: &rng)
    let e2 = trainer.augmentedFeatures(train, normaliser: identity, using: &rng)
    #expect(e1 != e2)
    #expect(e1 != trainer.features(of: train, normaliser: nil).values)
    // Parallel extraction equals a serial run of the same per-clip generators.
    var again = SeededGenerator(seed: 1)
    #expect(trainer.augmentedFeatures(train, normaliser: identity, using: &again) == e1)
  }

  @Test func wordsFoldOtherLabelsIntoUnknownAndMakeSilence() throws {
    var r = TrainingSetup.request(TrainingSetup.folder.path, out: "/unused")
    r.labels = LabelOptions(words: ["alpha", "bravo"], unknownPercent: 20, silencePercent: 10)
    let session = try TrainingSession(r)
    #expect(session.dataset.labels == ["alpha", "bravo", "_unknown_", "_silence_"])
    let silence = session.dataset.examples.filter(\.isGeneratedSilence)
    #expect(!silence.isEmpty && silence.allSatisfy { $0.label == 3 })
    let unknown = session.dataset.examples.filter { $0.label == 2 }
    #expect(unknown.allSatisfy { $0.path.contains("/charlie/") })
    let words = session.dataset.examples.filter { $0.label < 2 && $0.split == .train }.count
    let unknownTrain = unknown.filter { $0.split == .train }.count
    #expect(unknownTrain == Int((Double(words) * 0.2).rounded(.up)))
  }

  @Test func ctrlCKeepsTheBestEpochAndSaves() throws {
    let out = try TemporaryFolder()
    let r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/m.safetensors")
    let session = try TrainingSession(r)
    var batches = 0
    var perEpoch = 0
    let summary = try session.run(
      observe: { event in
        if case .batch(let p) = event {
          batches += 1
          perEpoch = p.batches
        }
      }, shouldStop: { perEpoch > 0 && batches >= 2 * perEpoch + 1 })
    #expect(summary.stop == .interrupted)
    #expect(summary.history.count == 2)
    #expect(summary.bestEpoch != nil)
    _ = try ModelFile.load(at: r.output)

    let early = try TrainingSession(
      TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/early.safetensors"))
    #expect(throws: TrainingError.interruptedBeforeFirstEpoch) {
      try early.run(shouldStop: { true })
    }
    #expect(!FileManager.default.fileExists(atPath: out.path + "/early.safetensors"))
  }

  /// `--keep last` (the default) keeps the final epoch although a validation split is there;
  /// `--keep best` keeps the epoch the history says had the best validation accuracy (ties:
  /// lower validation loss), and early stopping belongs to it alone.
  @Test func keptEpochIsTheLastOrTheBestOfTheHistory() throws {
    let out = try TemporaryFolder()
    var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/last.safetensors")
    r.options.epochs = 8
    #expect(TrainingOptions().kept == .last && TrainingOptions().patience == 0)
    let last = try TrainingSession(r).run()
    #expect(last.bestEpoch == 8 && last.history.count == 8)
    #expect(last.history.allSatisfy { $0.validationAccuracy != nil })

    r.output = out.path + "/best.safetensors"
    r.options.kept = .best
    let best = try TrainingSession(r).run()
    let expected = best.history.max { a, b in
      a.validationAccuracy! != b.validationAccuracy!
        ? a.validationAccuracy! < b.validationAccuracy!
        : a.validationLoss! > b.validationLoss!
          || (a.validationLoss! == b.validationLoss! && a.epoch > b.epoch)
    }!
    #expect(best.bestEpoch == expected.epoch)
    // Same seed and data: the two runs train the same weights, epoch for epoch.
    #expect(best.history.map(\.trainLoss) == last.history.map(\.trainLoss))
    #expect(
      try ModelFile.load(at: out.path + "/best.safetensors").metadata.training["bestEpoch"]
        == "\(expected.epoch)")

    r.options.kept = .last
    r.options.patience = 3
    #expect(throws: SettingError.self) { try r.options.validate() }
  }

  @Test func divergingLossStopsWithAnExplanation() throws {
    let out = try TemporaryFolder()
    var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/m.safetensors")
    r.options.learningRate = 1e30
    r.options.gradientClip = nil
    r.options.optimizer = .sgd
    r.options.momentum = 0
    r.options.schedule = .constant
    let session = try TrainingSession(r)
    do {
      _ = try session.run()
      Issue.record("expected the loss to diverge")
    } catch let error as TrainingError {
      guard case .diverged = error else { throw error }
      #expect(error.description.contains("no epoch finished, no model written"))
      #expect(!error.description.contains("--"))
    }
  }

  @Test func errorsComeBeforeAnyWork() throws {
    let dir = try TemporaryFolder()
    try SyntheticDataset.writeDataset(
      at: dir.path, words: ["one", "two"], takes: 4, sampleRate: 8000, seed: 3)
    var r = TrainingSetup.request(dir.path, out: dir.path + "/m.safetensors")
    r.labels.words = ["one", "three"]
    #expect(throws: DatasetError.self) { try TrainingSession(r) }

    // Unreadable files: up to the threshold they are skipped with a warning, beyond it an error.
    for i in 0..<3 { try dir.write("two/broken\(i).wav", "not audio at all") }
    r.labels.words = nil
    r.maxUnreadable = 3
    let session = try TrainingSession(r)
    #expect(session.dataset.unreadable.count == 3)
    #expect(session.warnings.contains { $0.contains("3 unreadable") })
    r.maxUnreadable = 2
    do {
      _ = try TrainingSession(r)
      Issue.record("expected too many unreadable files")
    } catch let e as DatasetError {
      guard case .tooManyUnreadable(3, 2, let files) = e else { throw e }
      #expect(files.count == 3 && files[0].contains("broken0.wav"))
    }

    let single = try TemporaryFolder()
    try SyntheticDataset.writeDataset(
      at: single.path, words: ["one"], takes: 2, sampleRate: 8000, seed: 3)
    #expect(throws: DatasetError.self) {
      try TrainingSession(TrainingSetup.request(single.path, out: single.path + "/m.safetensors"))
    }
    var bad = TrainingSetup.request(dir.path, out: dir.path + "/m.safetensors")
    bad.options.dropout = 1
    #expect(throws: SettingError("dropout", "must be in [0, 1)")) {
      try TrainingSession(bad)
    }
  }

  /// A label whose clips are all outside the training split is named before training.
  @Test func warnsOfLabelsWithoutTrainingClips() throws {
    let data = TrainingSetup.folder.path
    let dir = try TemporaryFolder()
    var rows = ["path,label,split"]
    for word in ["alpha", "bravo", "charlie"] {
      let files = try FileManager.default.contentsOfDirectory(atPath: data + "/" + word).sorted()
      for (i, file) in files.enumerated() {
        let split = word == "charlie" ? "test" : (i % 5 == 0 ? "validation" : "train")
        rows.append("\(data)/\(word)/\(file),\(word),\(split)")
      }
    }
    try dir.write("m.csv", rows.joined(separator: "\n") + "\n")
    var r = TrainingSetup.request(data, out: dir.path + "/m.safetensors")
    r.data = [.manifest(dir.path + "/m.csv")]
    let session = try TrainingSession(r)
    #expect(
      session.warnings.contains {
        $0.hasPrefix("1 of ") && $0.hasSuffix("the model cannot learn them: charlie")
      }, "\(session.warnings)")
  }
}

/// A thread that keeps asking OpenBLAS for 1, then 2 threads (as classify and bench do) until
/// stopped; `stop()` answers how many times it asked.
private final class ThreadCountSwitcher: @unchecked Sendable {
  private let lock = NSLock()
  private var running = true
  private var count = 0
  private let done = DispatchSemaphore(value: 0)

  func start() {
    Thread.detachNewThread { [self] in
      while lock.withLock({ running }) {
        LinearAlgebra.withThreadCount(count % 2 + 1) { _ = usleep(200) }
        lock.withLock { count += 1 }
      }
      done.signal()
    }
  }

  func stop() -> Int {
    lock.withLock { running = false }
    done.wait()
    return lock.withLock { count }
  }
}
