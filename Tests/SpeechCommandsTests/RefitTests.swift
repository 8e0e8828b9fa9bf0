import Foundation
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// A new model is trained a second time on the training and validation clips together, keeping
/// what validation measured and fitted on the first network (`RefitOnValidation`).
@Suite(.serialized, .tags(.slow)) struct RefitTests {
  static func run(refit: Bool, name: String, in folder: TemporaryFolder) throws -> (
    TrainingResult, ModelFile, Data
  ) {
    var r = TrainingSetup.request(
      TrainingSetup.folder.path, out: folder.path + "/\(name).safetensors")
    r.refitsOnValidation = refit
    r.options.epochs = 6
    // Enough validation clips to calibrate on (`TemperatureScaling.minimumClips`), some wrong
    // (a temperature fitted on clips that are all right runs off its range and is not kept).
    r.split = HashSplitRule(validationPercent: 80, testPercent: 10)
    let result = try TrainingSession(r).run()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: r.output))
    return (result, try ModelFile.load(at: r.output), bytes)
  }

  @Test func theValidationClipsTrainTheSavedNetwork() throws {
    let out = try TemporaryFolder()
    let (first, firstModel, _) = try Self.run(refit: false, name: "first", in: out)
    let (refit, refitModel, refitBytes) = try Self.run(refit: true, name: "refit", in: out)
    let (_, _, againBytes) = try Self.run(refit: true, name: "again", in: out)

    let train = try #require(first.metrics[.train]).count
    let validation = try #require(first.metrics[.validation]).count
    #expect(validation > 0)
    // The saved network trained on both splits, and says so.
    #expect(refit.refitClips == train + validation)
    #expect(refit.metrics[.train]?.count == train + validation)
    #expect(refitModel.metadata.training["refitClips"] == "\(train + validation)")
    #expect(firstModel.metadata.training["refitClips"] == nil)
    #expect(refitModel.network.parameters != firstModel.network.parameters)
    // What validation measured and fitted is the first network's, measured before it trained
    // on those clips: the same figure, temperature and operating point as without the refit.
    #expect(refit.metrics[.validation]?.confusion == first.metrics[.validation]?.confusion)
    for key in ["accuracy", "logitScale"] {
      #expect(refitModel.metadata.training[key] == firstModel.metadata.training[key], "\(key)")
    }
    #expect(refitModel.metadata.training["logitScale"] != nil)
    #expect(refitModel.metadata.operatingPoint == firstModel.metadata.operatingPoint)
    // The test split stays unseen and is measured on the saved network.
    #expect(refit.metrics[.test]?.count == first.metrics[.test]?.count)
    #expect(try #require(refit.metrics[.test]).accuracy >= 0.8)
    // Reproducible: the same request gives the same bytes.
    #expect(refitBytes == againBytes)
  }

  /// Ctrl-C while the first network trains stops the second training beside it too: the first
  /// network is saved, measured in full (training figures and replay memory included), and the
  /// run says it was interrupted. The second training's events never reach the caller.
  @Test func interruptingTrainingKeepsTheFirstNetwork() throws {
    let out = try TemporaryFolder()
    var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/m.safetensors")
    r.refitsOnValidation = true
    r.options.epochs = 4
    var started = 0
    var epochs = 0
    let result = try TrainingSession(r).run(
      observe: { event in
        if case .started = event { started += 1 }
        if case .epoch = event { epochs += 1 }
      }, shouldStop: { epochs >= 2 })
    #expect(started == 1 && epochs == 2)
    #expect(result.stop == .interrupted && result.refitClips == nil)
    let train = try #require(result.metrics[.train])
    #expect(result.metrics[.validation] != nil && result.metrics[.test] != nil)
    let model = try ModelFile.load(at: r.output)
    #expect(model.metadata.training["refitClips"] == nil)
    #expect(model.metadata.training["trainAccuracy"] == String(format: "%.4f", train.accuracy))
    #expect((model.memory?.rows ?? 0) > 0)
  }

  /// `--keep best` trains once: the validation clips chose the kept epoch, so a second training
  /// on them would have nothing to stop it at.
  @Test func keepBestTrainsOnce() throws {
    let out = try TemporaryFolder()
    var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/best.safetensors")
    r.refitsOnValidation = true
    r.options.epochs = 4
    r.options.kept = .best
    var started = 0
    let result = try TrainingSession(r).run(observe: { if case .started = $0 { started += 1 } })
    #expect(started == 1 && result.refitClips == nil)
  }

  /// Retraining trains again too, from the old model: the new word's validation takes (2 of 15)
  /// then train it, and the figures on them stay the first retrained network's.
  @Test func retrainingTrainsAgainFromTheOldModel() throws {
    let dir = try TemporaryFolder()
    let new = dir.path + "/new"
    try SyntheticDataset.writeDataset(
      at: new, words: ["delta"], takes: 15, patternOffset: 3, noiseSeconds: 3, sampleRate: 8000,
      seed: 12)
    var base = TrainingSetup.request(
      TrainingSetup.folder.path, out: dir.path + "/old.safetensors")
    base.options.epochs = 4
    _ = try TrainingSession(base).run()
    var results: [TrainingResult] = []
    for refit in [false, true] {
      var r = TrainingSetup.request(new, out: dir.path + "/new-\(refit).safetensors")
      r.fromModel = base.output
      r.options = .retraining
      r.options.epochs = 4
      r.options.batchSize = 16
      r.refitsOnValidation = refit
      results.append(try TrainingSession(r).run())
    }
    let (once, twice) = (results[0], results[1])
    #expect(once.refitClips == nil)
    #expect(once.metrics[.train]?.count == 13 && once.metrics[.validation]?.count == 2)
    #expect(twice.refitClips == 15 && twice.metrics[.train]?.count == 15)
    #expect(twice.metrics[.validation]?.confusion == once.metrics[.validation]?.confusion)
    let model = try ModelFile.load(at: dir.path + "/new-true.safetensors")
    #expect(model.metadata.labels == ["alpha", "bravo", "charlie", "delta"])
    #expect(model.metadata.training["from"] == base.output)
  }
}
