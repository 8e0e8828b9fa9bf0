import ArgumentParser
import Foundation
import SpeechCommands
import SpeechFeatures
import SpeechModel
import SpeechTestSupport
import Testing

@testable import speechcmd

@Suite struct TrainCommandTests {
  @Test func argumentsBecomeTheRequest() throws {
    let command = try SpeechCmd.parseAsRoot([
      "train", "DATA", "--out", "m.safetensors", "--words", "yes, no", "--hidden", "64,32",
      "--loss", "bce", "--pos-weight", "auto", "--optimizer", "adamw", "--lr", "0.01",
      "--mfcc", "coefficients=20", "--mfcc", "deltas=first", "--data", "old.csv", "--data", "OLD",
      "--speed", "0.1", "--no-augment", "--seed", "9", "--validation-percent", "15",
    ])
    let train = try #require(command as? SpeechCmd.Train)
    let r = try train.request()
    #expect(r.data == [.folder("DATA")])
    #expect(r.mixData == [.manifest("old.csv"), .folder("OLD")])
    #expect(r.labels.words == ["yes", "no"])
    #expect(r.options.hidden == [64, 32])
    #expect(r.options.loss == .binaryCrossEntropy && r.options.autoPositiveWeight)
    #expect(r.options.optimizer == .adamw && r.options.learningRate == 0.01)
    #expect(r.options.seed == 9)
    #expect(r.options.augmentation.noiseProbability == 0)
    #expect(r.options.augmentation.speedPerturbation == 0.1)
    #expect(r.frontEnd.mfcc.coefficients == 20 && r.frontEnd.mfcc.deltas == .first)
    #expect(r.split.validationPercent == 15)
  }

  /// The benchmarked defaults (README, Accuracy benchmark): changing one should be a decision
  /// backed by a new `scripts/bench-accuracy.sh` run, not an accident.
  @Test func defaultsAreTheBenchmarkedSettings() throws {
    let command = try SpeechCmd.parseAsRoot(["train", "DATA", "--out", "m.safetensors"])
    let r = try #require(command as? SpeechCmd.Train).request()
    let mfcc = r.frontEnd.mfcc
    #expect(mfcc.windowLength == MFCCConfig.helloEdge.windowLength)
    #expect(mfcc.hopLength == MFCCConfig.helloEdge.hopLength)
    #expect(mfcc.coefficients == 10 && mfcc.deltas == .first && mfcc.normalization == .mean)
    #expect(r.frontEnd.clipSeconds == 1 && r.frontEnd.focusSeconds == 0.5)
    #expect(r.frontEnd.viewShifts == [-0.08, -0.04, 0, 0.04, 0.08])
    let single = try SpeechCmd.parseAsRoot(["train", "D", "--out", "m", "--views", "1"])
    #expect(try #require(single as? SpeechCmd.Train).request().frontEnd.viewShifts == [0])
    let three = try SpeechCmd.parseAsRoot(
      ["train", "D", "--out", "m", "--views", "3", "--view-spacing", "0.05"])
    #expect(
      try #require(three as? SpeechCmd.Train).request().frontEnd.viewShifts == [-0.05, 0, 0.05])
    for bad in [
      ["--views", "0"], ["--views", "16"], ["--view-spacing", "0"],
      ["--views", "15", "--view-spacing", "0.1"],
    ] {
      #expect(throws: (any Error).self, "\(bad)") {
        try SpeechCmd.parseAsRoot(["train", "D", "--out", "m"] + bad)
      }
    }
    #expect(r.options.hidden == [256] && r.options.dropout == 0.3)
    #expect(r.options.convolution?.map(\.channels) == [64, 64, 64])
    #expect(r.options.convolution?.map(\.width) == [5, 3, 3])
    #expect(r.options.convolution?.map(\.dilation) == [1, 2, 4])
    let mlp = try SpeechCmd.parseAsRoot(["train", "D", "--out", "m", "--conv", "none"])
    #expect(try #require(mlp as? SpeechCmd.Train).request().options.convolution == nil)
    let custom = try SpeechCmd.parseAsRoot(["train", "D", "--out", "m", "--conv", "8x3,4x2d3"])
    #expect(
      try #require(custom as? SpeechCmd.Train).request().options.convolution
        == [
          ConvolutionLayer(channels: 8, width: 3),
          ConvolutionLayer(channels: 4, width: 2, dilation: 3),
        ])
    #expect(r.options.labelSmoothing == 0.1)
    #expect(r.options.augmentation.gainDB == 6 && r.options.augmentation.speedPerturbation == 0.05)
    #expect(r.options.mixupAlpha == 0 && r.options.weightAverageDecay == nil)
    #expect(
      r.options.featureMasks
        == FeatureMaskOptions(timeMasks: 2, maxFrames: 8, frequencyMasks: 2, maxCoefficients: 2))
    #expect(r.options.augmentation.noiseSNR == nil)
    let unmasked = try SpeechCmd.parseAsRoot(
      ["train", "D", "--out", "m", "--time-masks", "0", "--freq-masks", "0"])
    #expect(
      try !#require(unmasked as? SpeechCmd.Train).request().options.featureMasks.isActive)
    #expect(!TrainingOptions.retraining.featureMasks.isActive)
    #expect(r.options.augmentation.noiseProbability == 0.8)
    #expect(r.options.epochs == 120 && r.options.kept == .last && r.options.patience == 0)
    // A second training on training + validation clips, unless --no-refit.
    #expect(r.refitsOnValidation)
    let once = try SpeechCmd.parseAsRoot(["train", "D", "--out", "m", "--no-refit"])
    #expect(try !(#require(once as? SpeechCmd.Train).request().refitsOnValidation))
    let best = try SpeechCmd.parseAsRoot(
      ["train", "D", "--out", "m", "--keep", "best", "--patience", "15"])
    let bestOptions = try #require(best as? SpeechCmd.Train).request().options
    #expect(bestOptions.kept == .best && bestOptions.patience == 15)
    let focus = try SpeechCmd.parseAsRoot(["train", "D", "--out", "m", "--focus-seconds", "0.3"])
    #expect(try #require(focus as? SpeechCmd.Train).request().frontEnd.focusSeconds == 0.3)

    let preset = try SpeechCmd.parseAsRoot(["train", "D", "--out", "m", "--preset", "classic"])
    let plain = try #require(preset as? SpeechCmd.Train).request().frontEnd.mfcc
    #expect(plain == MFCCConfig.classic)
    // The mel range follows the recordings' bandwidth unless the user chose its upper edge.
    #expect(r.fitsMelRangeToRecordings)
    let edge = try SpeechCmd.parseAsRoot(
      ["train", "D", "--out", "m", "--mfcc", "maxFrequency=7000"])
    let chosen = try #require(edge as? SpeechCmd.Train).request()
    #expect(!chosen.fitsMelRangeToRecordings && chosen.frontEnd.mfcc.maxFrequency == 7000)
  }

  /// `--from` has defaults of its own (README, Retraining): fine-tuning, not training afresh.
  @Test func retrainingHasItsOwnDefaults() throws {
    func request(_ arguments: [String]) throws -> TrainingJob {
      try #require(try SpeechCmd.parseAsRoot(arguments) as? SpeechCmd.Train).request()
    }
    let alone = try request(["train", "--from", "old.safetensors", "NEW", "--out", "m"])
    #expect(alone.options.learningRate == 1e-3 && alone.options.epochs == 20)
    #expect(alone.options.patience == 0 && alone.options.classWeighting == .sqrt)
    #expect(alone.retraining == RetrainingOptions())
    #expect(alone.retraining.distillWeight == 1 && alone.retraining.anchor == 0.3)
    #expect(alone.options == .retraining && alone.options.augmentation.speedPerturbation == 0.05)
    #expect(alone.options.kept == .last && alone.options.patience == 0)
    let best = try request(["train", "--from", "o", "NEW", "--out", "m", "--keep", "best"])
    #expect(best.options.kept == .best && best.options.epochs == 20)
    // With the old data: distillation on, no anchor, 40 epochs at ±30% speed.
    let mixed = try request(["train", "--from", "o", "NEW", "--data", "OLD", "--out", "m"])
    #expect(mixed.retraining == .withOldData)
    #expect(mixed.retraining.distillWeight == 1 && mixed.retraining.anchor == 0)
    #expect(mixed.options == .retrainingWithOldData && mixed.options.epochs == 40)
    #expect(mixed.options.augmentation.speedPerturbation == 0.3)
    #expect(mixed.options.learningRate == 1e-3 && mixed.options.patience == 0)
    let slower = try request([
      "train", "--from", "o", "NEW", "--data", "OLD", "--out", "m", "--speed", "0.1", "--distill",
      "0",
    ])
    #expect(slower.options.augmentation.speedPerturbation == 0.1 && slower.options.epochs == 40)
    #expect(slower.retraining.distillWeight == 0)
    let tuned = try request([
      "train", "--from", "o", "NEW", "--out", "m", "--lr", "0.002", "--distill", "0.5",
      "--anchor", "0", "--distill-temperature", "3", "--minimum-rows", "64", "--imprint",
    ])
    #expect(tuned.options.learningRate == 0.002 && tuned.options.epochs == 20)
    #expect(tuned.retraining.distillWeight == 0.5 && tuned.retraining.anchor == 0)
    #expect(tuned.retraining.temperature == 3 && tuned.retraining.minimumRowsPerLabel == 64)
    #expect(tuned.retraining.imprint)
    let fresh = try request(["train", "NEW", "--out", "m"])
    #expect(fresh.options == TrainingOptions())
    #expect(fresh.memoryRows == 64)
  }

  /// From a model that keeps a replay memory, retraining on a new word without `--data`
  /// replays it with the `--data` hyperparameters and no anchor; `--memory-rows 0`, or new takes
  /// of old words only, go back to the network alone.
  @Test func retrainingAModelWithAMemoryHasTheOldDataDefaults() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("memory.safetensors")
    var rng = SeededGenerator(seed: 1)
    let network = MLP(inputSize: 2, hidden: [3], outputSize: 2, using: &rng)
    let metadata = ModelMetadata(
      labels: ["a", "b"], inputMean: [0, 0], inputStd: [1, 1],
      architecture: ModelArchitecture(network))
    try ModelFile(
      network: network, metadata: metadata,
      memory: ReplayMemory(inputs: 2, features: [1, 2, 3, 4], labels: [0, 1])
    ).save(to: path)
    // Manifests are listed, not decoded: the files need not exist.
    let newWord = folder.file("new.csv")
    let ownVoice = folder.file("own.csv")
    try "path,label\nc/1.wav,c\na/1.wav,a\n".write(
      toFile: newWord, atomically: false, encoding: .utf8)
    try "path,label\na/1.wav,a\nb/1.wav,b\n".write(
      toFile: ownVoice, atomically: false, encoding: .utf8)
    func request(_ arguments: [String]) throws -> TrainingJob {
      try #require(try SpeechCmd.parseAsRoot(arguments) as? SpeechCmd.Train).request()
    }
    let new = ["train", "--from", path, "--manifest", newWord, "--out", "m"]
    let replayed = try request(new)
    #expect(replayed.retraining == .withMemory && replayed.retraining.anchor == 0)
    #expect(replayed.options == .retrainingWithOldData)
    let off = try request(new + ["--memory-rows", "0"])
    #expect(off.retraining == RetrainingOptions() && off.options == .retraining)
    #expect(off.memoryRows == 0)
    let boosted = try request(new + ["--new-label-bias", "0.5"])
    #expect(boosted.retraining.newLabelBias == 0.5 && replayed.retraining.newLabelBias == 0)
    let anchored = try request(new + ["--anchor", "0.3"])
    #expect(anchored.retraining.anchor == 0.3 && anchored.options.epochs == 40)
    let own = try request(["train", "--from", path, "--manifest", ownVoice, "--out", "m"])
    #expect(own.retraining == RetrainingOptions() && own.options == .retraining)
  }

  @Test(arguments: [
    ["train", "D", "--out", "m", "--distill", "0.5"],
    ["train", "D", "--from", "o", "--out", "m", "--anchor", "-1"],
    ["train", "D", "--out", "m", "--memory-jitter", "0.1"],
    ["train", "D", "--from", "o", "--out", "m", "--memory-jitter", "-1"],
    ["train", "D", "--out", "m", "--new-label-bias", "1"],
    ["train", "D", "--from", "o", "--out", "m", "--new-label-bias", "50"],
    ["train", "D", "--from", "o", "--out", "m", "--minimum-rows", "100000000"],
    ["train", "D", "--from", "o", "--out", "m", "--minimum-rows", "9223372036854775807"],
    ["train", "D", "--out", "", "--epochs", "1"],
    ["train", "D", "--out", "m", "--memory-rows", "-1"],
    ["train", "D", "--out", "m", "--memory-rows", "5000"],
    ["train", "--out", "m"],
    ["train", "D", "--manifest", "x.csv", "--out", "m"],
    ["train", "D", "--out", "m", "--dropout", "1.5"],
    ["train", "D", "--out", "m", "--patience", "15"],
    ["train", "D", "--out", "m", "--keep", "first"],
    ["train", "D", "--out", "m", "--focus-seconds", "1.5"],
    ["train", "D", "--out", "m", "--focus-seconds", "0"],
    ["train", "D", "--out", "m", "--preset", "nope"],
    ["train", "D", "--out", "m", "--mfcc", "colour=blue"],
    ["train", "D", "--out", "m", "--hidden", "64,x"],
    ["train", "D", "--out", "m", "--conv", "64x"],
    ["train", "D", "--out", "m", "--conv", "64x5,"],
    ["train", "D", "--out", "m", "--conv", "0x5"],
    ["train", "D", "--out", "m", "--conv", "64x3d0"],
    ["train", "D", "--out", "m", "--hidden", "16,,16"],
    ["train", "D", "--out", "m", "--hidden", ""],
    ["train", "D", "--out", "m", "--validation-percent", "60", "--test-percent", "40"],
    ["evaluate", "--model", "m", "D", "--split", "holdout"],
    // Settings of a new model that retraining would ignore (it keeps the old network).
    ["train", "D", "--from", "o", "--out", "m", "--hidden", "32"],
    ["train", "D", "--from", "o", "--out", "m", "--loss", "bce"],
    ["train", "D", "--from", "o", "--out", "m", "--clip-seconds", "2"],
    ["train", "D", "--from", "o", "--out", "m", "--mfcc", "coefficients=12"],
    // Numbers that crashed training (overflowing step counts) or broke it after it had run.
    ["train", "D", "--out", "m", "--warmup-epochs", "-1"],
    ["train", "D", "--out", "m", "--epochs", "10", "--warmup-epochs", "11"],
    ["train", "D", "--out", "m", "--epochs", "9223372036854775807"],
    ["train", "D", "--out", "m", "--schedule", "step", "--step-epochs", "9223372036854775807"],
    ["train", "D", "--out", "m", "--noise-volume", "inf"],
    ["train", "D", "--out", "m", "--gain-db", "inf"],
    ["train", "D", "--out", "m", "--time-shift", "inf"],
    ["train", "D", "--out", "m", "--step-factor", "nan"],
    ["train", "D", "--out", "m", "--momentum", "nan"],
    ["train", "D", "--out", "m", "--momentum", "inf"],
    ["train", "D", "--out", "m", "--clip", "inf"],
    ["train", "D", "--out", "m", "--clip", "-1"],
    ["train", "D", "--out", "m", "--ema", "nan"],
    ["train", "D", "--out", "m", "--time-masks", "9223372036854775807"],
  ])
  func badArgumentsAreUsageErrors(arguments: [String]) {
    do {
      _ = try SpeechCmd.parseAsRoot(arguments)
      Issue.record("accepted \(arguments)")
    } catch {
      #expect(SpeechCmd.exitCode(for: error).rawValue == 64, "\(arguments)")
    }
  }
}

/// `train` and `evaluate` through the built binary: exit codes, outputs, Ctrl-C.
@Suite(
  .serialized, .tags(.slow),
  .enabled(
    if: RecognitionFixture.binary != nil, "the speechcmd executable is not built next to the tests")
)
struct TrainEndToEndTests {
  /// MFCC overrides for the 8 kHz synthetic words (fast in a debug build).
  static let small = [
    "--mfcc", "sampleRate=8000", "--mfcc", "windowLength=200", "--mfcc", "hopLength=160",
    "--mfcc", "fftLength=256", "--mfcc", "melBands=20", "--mfcc", "maxFrequency=3900",
    "--hidden", "32", "--conv", "none", "--batch-size", "16", "--lr", "0.003",
  ]

  static let data: String = {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("speechcmd-train-\(UUID().uuidString)").path
    try! SyntheticDataset.writeDataset(
      at: path + "/data", words: ["alpha", "bravo", "charlie"], takes: 20, noiseSeconds: 2,
      sampleRate: 8000, seed: 4)
    atexit { try? FileManager.default.removeItem(atPath: TrainEndToEndTests.data) }
    return path
  }()

  struct Run {
    var status: Int32
    var out: String
    var err: String
  }

  func run(_ arguments: [String], interruptAfter marker: String? = nil) throws -> Run {
    let binary = try #require(RecognitionFixture.binary)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    var err = Data()
    if let marker {
      while !String(decoding: err, as: UTF8.self).contains(marker) {
        let chunk = errors.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        err += chunk
      }
      process.interrupt()
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    err += errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, out: String(decoding: out, as: UTF8.self),
      err: String(decoding: err, as: UTF8.self))
  }

  @Test func trainThenEvaluateAsJSON() throws {
    let d = Self.data
    let train = try run(
      [
        "train", d + "/data", "--out", d + "/m.safetensors", "--epochs", "8", "--report",
        d + "/report", "--log-json", d + "/log.jsonl",
      ] + Self.small)
    #expect(train.status == 0, "\(train.err)")
    #expect(train.out.contains("test") && train.out.contains("accuracy"))
    #expect(train.err.contains("epoch 8/8"))
    for file in ["report/metrics.json", "report/confusion.svg", "report/curves.svg", "log.jsonl"] {
      #expect(FileManager.default.fileExists(atPath: d + "/" + file), "\(file)")
    }
    let eval = try run(
      [
        "evaluate", "--model", d + "/m.safetensors", d + "/data", "--split", "all", "--format",
        "json",
      ])
    #expect(eval.status == 0, "\(eval.err)")
    let json = try JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as! [String: Any]
    for key in ["accuracy", "classes", "confusion", "count"] { #expect(json[key] != nil, "\(key)") }
    #expect(json["count"] as? Int == 60)
    let text = try run(["evaluate", "--model", d + "/m.safetensors", d + "/data"])
    #expect(text.status == 0 && text.out.contains("precision") && text.out.contains("charlie"))
    // A file the manifest lists that cannot be read is skipped and named, as training does.
    let folder = try TemporaryFolder()
    let real = try #require(
      FileManager.default.subpaths(atPath: d + "/data/alpha")?.sorted().first)
    try folder.write(
      "m.csv", "path,label\n\(d)/data/alpha/\(real),alpha\n\(folder.path)/gone.wav,bravo\n")
    let missing = try run(
      [
        "evaluate", "--model", d + "/m.safetensors", "--manifest", folder.file("m.csv"), "--split",
        "all",
      ])
    #expect(missing.status == 0, "\(missing.err)")
    #expect(
      missing.err.contains("warning: skipped 1 unreadable files")
        && missing.err.contains("gone.wav"))
  }

  @Test func aLopsidedSplitIsSaidOnceWithTheNumbers() throws {
    let d = Self.data
    let train = try run(
      [
        "train", d + "/data", "--out", d + "/lopsided.safetensors", "--epochs", "1",
        "--validation-percent", "70", "--test-percent", "20", "--quiet",
      ] + Self.small)
    #expect(train.status == 0, "\(train.err)")
    let warnings = train.err.components(separatedBy: "\n").filter {
      $0.contains("the training split holds under half of the clips")
    }
    #expect(warnings.count == 1, "\(train.err)")
    #expect(warnings.first?.contains("of 60 clips") == true)
    #expect(warnings.first?.contains("--validation-percent") == true)
  }

  /// Retraining on a few takes: the few-take rule, not the hash rule, makes the lopsided split,
  /// so the hash rule's advice is not given; with the second training every take trains the
  /// saved network (no warning), without it the warning says what to do instead.
  @Test func aFewTakeSplitGetsRetrainingAdviceOnly() throws {
    let d = Self.data
    let folder = try TemporaryFolder()
    let base = folder.file("base.safetensors")
    let first = try run(
      ["train", d + "/data", "--out", base, "--epochs", "1", "--quiet"] + Self.small)
    #expect(first.status == 0, "\(first.err)")
    let takes = try #require(
      FileManager.default.subpaths(atPath: d + "/data/charlie")?.filter { $0.hasSuffix(".wav") }
        .sorted())
    try FileManager.default.createDirectory(
      atPath: folder.file("new/delta"), withIntermediateDirectories: true)
    for take in takes.prefix(3) {
      try FileManager.default.copyItem(
        atPath: d + "/data/charlie/" + take, toPath: folder.file("new/delta/" + take))
    }
    let retrain = ["train", "--from", base, folder.file("new"), "--epochs", "1", "--quiet"]
    let refit = try run(retrain + ["--out", folder.file("refit.safetensors")])
    #expect(refit.status == 0, "\(refit.err)")
    #expect(!refit.err.contains("under half"), "\(refit.err)")
    let once = try run(retrain + ["--out", folder.file("once.safetensors"), "--no-refit"])
    #expect(once.status == 0, "\(once.err)")
    let warnings = once.err.components(separatedBy: "\n").filter { $0.contains("under half") }
    #expect(warnings.count == 1, "\(once.err)")
    #expect(warnings.first?.contains("--validation-percent 0") == true)
    #expect(warnings.first?.contains("--test-percent") == false)

    // Beside the new word, 40 takes of a known word that the hash rule sends mostly to
    // validation and test: that lopsided split is the hash rule's, and its warning is given.
    let fm = FileManager.default
    try fm.createDirectory(atPath: folder.file("new/alpha"), withIntermediateDirectories: true)
    for word in ["alpha", "bravo"] {
      for take in try #require(fm.subpaths(atPath: d + "/data/" + word)) {
        try fm.copyItem(
          atPath: d + "/data/\(word)/" + take, toPath: folder.file("new/alpha/" + take))
      }
    }
    let hashed = try run(
      retrain + [
        "--out", folder.file("hashed.safetensors"), "--validation-percent", "70",
        "--test-percent", "20",
      ])
    #expect(hashed.status == 0, "\(hashed.err)")
    #expect(
      hashed.err.components(separatedBy: "\n").filter {
        $0.contains("under half") && $0.contains("--test-percent")
      }.count == 1, "\(hashed.err)")
  }

  @Test func ctrlCSavesTheBestModelAndExits130() throws {
    let d = Self.data
    let model = d + "/interrupted.safetensors"
    let r = try run(
      ["train", d + "/data", "--out", model, "--epochs", "500", "--patience", "0"] + Self.small,
      interruptAfter: "epoch 2/500")
    #expect(r.status == 130, "\(r.err)")
    #expect(r.err.contains("interrupted"))
    _ = try ModelFile.load(at: model)
  }

  @Test func dataErrorsExitWithStatus1BeforeTraining() throws {
    let d = Self.data
    let r = try run(
      ["train", d + "/data", "--out", d + "/x.safetensors", "--words", "alpha,zulu"] + Self.small)
    #expect(r.status == 1)
    #expect(r.err.contains("zulu") && !r.err.contains("epoch"))
    #expect(!FileManager.default.fileExists(atPath: d + "/x.safetensors"))
  }

  /// Outputs that cannot be written are found before training, not after it: a model, a log or
  /// a report in a folder that does not exist, a report folder that is a file.
  @Test(arguments: [
    (["--out", "missing/x.safetensors"], "the folder"),
    (["--out", "x.safetensors", "--log-json", "missing/log.json"], "the folder"),
    (["--out", "x.safetensors", "--report", "a-file"], "not a folder"),
  ])
  func unwritableOutputsStopTrainingBeforeItStarts(outputs: [String], reason: String) throws {
    let d = Self.data
    let folder = try TemporaryFolder()
    try folder.write("a-file", "")
    let r = try run(
      ["train", d + "/data"]
        + outputs.map {
          $0.contains("/") || $0.hasSuffix("file")
            || $0.hasSuffix(".safetensors") ? folder.file($0) : $0
        } + Self.small)
    #expect(r.status == 1, "\(r.err)")
    #expect(r.err.contains(reason) && !r.err.contains("epoch"), "\(r.err)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("x.safetensors")))
  }
}
