import Foundation
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

@Suite(.tags(.slow)) struct RetrainingTests {
  /// Train on two words, retrain adding a third from 15 clips: the third is learned and the first
  /// two do not collapse.
  @Test func addsAWordFromFifteenClips() throws {
    let words = try OldAndNewWords(oldTakes: 40)
    let (dir, old, new) = (words.dir, words.old, words.new)
    var first = TrainingSetup.request(old, out: dir.path + "/old.safetensors")
    // The base keeps its best validation epoch, as the product's default did when these
    // fixtures were written: from the last epoch of this 12-epoch toy run the new word got 11 of
    // 15 (measured), though on real speech a last-epoch base learned more new words
    // (scripts/bench-retrain.sh: 65.1% against 60.0% with the old data, 66.9 against 66.5%
    // without it; README, Retraining benchmark).
    first.options.kept = .best
    _ = try TrainingSession(first).run()
    let before = try ModelFile.load(at: first.output)

    var r = TrainingSetup.request(new, out: dir.path + "/new.safetensors")
    r.fromModel = first.output
    r.mixData = [.folder(old)]
    r.retraining = .withOldData
    r.frontEnd = .default  // ignored: the old model's front end is kept
    r.options = .retrainingWithOldData
    r.options.hidden = [999]  // ignored: the old network is kept
    r.options.batchSize = 16
    r.reportFolder = dir.path + "/report"
    let session = try TrainingSession(r)
    #expect(session.dataset.labels == ["alpha", "bravo", "delta"])
    #expect(session.frontEnd.config == TrainingSetup.frontEnd)
    let summary = try session.run()
    let after = try ModelFile.load(at: r.output)
    #expect(after.metadata.labels == ["alpha", "bravo", "delta"])
    #expect(after.metadata.inputMean == before.metadata.inputMean)
    #expect(after.metadata.inputStd == before.metadata.inputStd)
    #expect(after.network.hidden == before.network.hidden)

    // Score every clip: the new word's 15 and the old words' 80.
    let retraining = try #require(summary.retraining)
    #expect(retraining.newLabels == ["delta"])
    let all = try Evaluator.evaluate(modelPath: r.output, data: .folder(new), split: .all)
    #expect(all.report.classes[2].recall >= 0.8, "new word recall \(all.report.classes[2].recall)")
    let oldAll = try Evaluator.evaluate(modelPath: r.output, data: .folder(old), split: .all)
    #expect(oldAll.report.accuracy >= 0.8, "old words accuracy \(oldAll.report.accuracy)")
    let metrics =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/report/metrics.json")))
      as! [String: Any]
    let report = try #require(metrics["retraining"] as? [String: Any])
    #expect(report["oldLabelAccuracy"] != nil && report["newLabelAccuracy"] != nil)
  }

  /// Retrain with only the old model file and 15 takes of a new word: the new word is learned,
  /// and distillation and the anchor keep the old words; the model records how it was retrained.
  @Test func addsAWordWithoutTheOldData() throws {
    let words = try OldAndNewWords(oldTakes: 40, newNoise: true)
    let (dir, old, new) = (words.dir, words.old, words.new)
    var first = TrainingSetup.request(old, out: dir.path + "/old.safetensors")
    first.options.kept = .best  // as above
    _ = try TrainingSession(first).run()

    var r = TrainingSetup.request(new, out: dir.path + "/new.safetensors")
    r.fromModel = first.output
    r.options = .retraining
    r.options.hidden = [32]
    r.options.batchSize = 16
    let session = try TrainingSession(r)
    // The few-take rule: 2 of the 15 takes validate, 13 train, none are held for test.
    #expect(session.dataset.classCounts(in: .train) == [0, 0, 13])
    #expect(session.dataset.classCounts(in: .validation) == [0, 0, 2])
    _ = try session.run()

    let all = try Evaluator.evaluate(modelPath: r.output, data: .folder(new), split: .all)
    #expect(all.report.classes[2].recall >= 0.8, "new word recall \(all.report.classes[2].recall)")
    let oldAll = try Evaluator.evaluate(modelPath: r.output, data: .folder(old), split: .all)
    #expect(oldAll.report.accuracy >= 0.8, "old words accuracy \(oldAll.report.accuracy)")
    let model = try ModelFile.load(at: r.output)
    let recorded = try #require(model.metadata.training["retraining"])
    let options = try JSONDecoder().decode(RetrainingOptions.self, from: Data(recorded.utf8))
    #expect(options == RetrainingOptions())
    #expect(model.metadata.training["from"] == first.output)
  }

  /// Retraining on a few takes cannot fit a calibration (2 validation takes) or an operating
  /// point (no non-command words): the old model's are kept, and the model and the summary say so.
  @Test func keepsTheOldCalibrationAndOperatingPointWhenItCannotFitItsOwn() throws {
    let words = try OldAndNewWords(oldTakes: 40)
    let (dir, old, new) = (words.dir, words.old, words.new)
    let base = TrainingSetup.request(old, out: dir.path + "/old.safetensors")
    _ = try TrainingSession(base).run()
    // As a model trained on enough data would be: calibrated, with an operating point.
    var model = try ModelFile.load(at: base.output)
    let point = OperatingPoint(
      threshold: 0.8, averageWindowMs: 750,
      fit: OperatingPointFit(
        words: 40, nonCommandWords: 10, right: 0.5, wrong: 0, spurious: 0,
        falseAcceptsPerWord: 0))
    model.metadata.operatingPoint = try point.jsonString()
    model.metadata.training["logitScale"] = "1.5000"
    try model.save(to: base.output)

    var r = TrainingSetup.request(new, out: dir.path + "/new.safetensors")
    r.fromModel = base.output
    r.options = .retraining
    r.options.epochs = 4
    let result = try TrainingSession(r).run()
    #expect(result.operatingPointInherited && !result.calibrated)
    #expect(
      result.notes.contains { $0.hasPrefix("the old model's calibration kept: 2 validation") })
    #expect(
      result.notes.contains { $0.hasPrefix("listen's operating point kept from the old model") })
    let retrained = try ModelFile.load(at: r.output)
    var expected = point
    expected.fit = nil  // the old network's figures are not the new one's
    #expect(retrained.metadata.operatingPoint.flatMap(OperatingPoint.init(jsonString:)) == expected)
    #expect(retrained.metadata.training["logitScale"] == "1.5000")
    let card = try ModelCard(model: retrained, path: r.output)
    #expect(card.calibrationInherited && card.operatingPointInherited)
    // With no validation takes at all (`--validation-percent 0`: every take trains) the old
    // operating point is kept too, not dropped (it was, silently).
    var everyTake = r
    everyTake.split.validationPercent = 0
    everyTake.output = dir.path + "/every-take.safetensors"
    let allTrained = try TrainingSession(everyTake).run()
    #expect(allTrained.operatingPointInherited)
    #expect(
      allTrained.notes.contains {
        $0 == "listen's operating point kept from the old model: the validation split is empty"
      })
    let everyTakeModel = try ModelFile.load(at: everyTake.output)
    #expect(
      everyTakeModel.metadata.operatingPoint.flatMap(OperatingPoint.init(jsonString:)) == expected)
    // `evaluate` splits the new takes as retraining did: two for validation, none for test
    // (the hash rule would have called some of the training takes test).
    let validation = try Evaluator.evaluate(
      modelPath: r.output, data: .folder(new), split: .validation)
    #expect(validation.report.count == 2)
    #expect(throws: DatasetError.emptySplit(path: new, split: "test")) {
      try Evaluator.evaluate(modelPath: r.output, data: .folder(new), split: .test)
    }
  }

  /// Retraining with the old data brings back clips the old model keeps as memory rows: the new
  /// memory holds each clip once.
  @Test func theMemoryKeepsEachClipOnceWhenTheOldDataComesBack() throws {
    let words = try OldAndNewWords(oldTakes: 30)
    let (dir, old, new) = (words.dir, words.old, words.new)
    var base = TrainingSetup.request(old, out: dir.path + "/old.safetensors")
    base.memoryRows = 8
    _ = try TrainingSession(base).run()
    var r = TrainingSetup.request(new, out: dir.path + "/new.safetensors")
    r.fromModel = base.output
    r.mixData = [.folder(old)]
    r.retraining = .withOldData
    r.options = .retrainingWithOldData
    r.options.epochs = 2
    r.memoryRows = 64  // room for every candidate: duplicates would show
    _ = try TrainingSession(r).run()
    let memory = try #require(try ModelFile.load(at: r.output).memory)
    let rows = (0..<memory.rows).map {
      Array(memory.features[($0 * memory.inputs)..<(($0 + 1) * memory.inputs)])
    }
    #expect(Set(rows).count == rows.count, "\(rows.count) rows, \(Set(rows).count) distinct")
  }

  /// `newLabelBias` moves the new labels' logits and nothing else: two retrainings with the
  /// same seed, one with the bias and one without, differ only in the new label's output bias,
  /// by exactly the bias, for the second network (trained on training + validation) as well.
  @Test func theNewLabelBiasMovesOnlyTheNewLabelsLogits() throws {
    let words = try OldAndNewWords(oldTakes: 30)
    let (dir, old, new) = (words.dir, words.old, words.new)
    let base = TrainingSetup.request(old, out: dir.path + "/old.safetensors")
    _ = try TrainingSession(base).run()
    func retrained(bias: Float) throws -> MLP {
      var r = TrainingSetup.request(new, out: dir.path + "/new-\(bias).safetensors")
      r.fromModel = base.output
      r.mixData = [.folder(old)]
      r.retraining = .withOldData
      r.retraining.newLabelBias = bias
      r.options = .retrainingWithOldData
      r.options.epochs = 2
      r.refitsOnValidation = true
      _ = try TrainingSession(r).run()
      return try ModelFile.load(at: r.output).network
    }
    let plain = try retrained(bias: 0)
    let shifted = try retrained(bias: 1.5)
    let newBias = plain.biasOffset(plain.layerCount - 1) + 2  // delta: the third label
    #expect(abs(shifted.parameters[newBias] - plain.parameters[newBias] - 1.5) < 1e-5)
    var rest = shifted.parameters
    rest[newBias] = plain.parameters[newBias]
    #expect(rest == plain.parameters)
  }
}

/// Two synthetic old words (`alpha`, `bravo`, with background noise) and a new one (`delta`, 15
/// takes) in a fresh folder: the retraining tests' data.
struct OldAndNewWords {
  let dir: TemporaryFolder
  var old: String { dir.path + "/old" }
  var new: String { dir.path + "/new" }

  /// `oldTakes` takes of each old word; `newNoise`: the new folder has background noise too.
  init(oldTakes: Int, newNoise: Bool = false) throws {
    dir = try TemporaryFolder()
    try SyntheticDataset.writeDataset(
      at: dir.path + "/old", words: ["alpha", "bravo"], takes: oldTakes, noiseSeconds: 3,
      sampleRate: 8000, seed: 11)
    try SyntheticDataset.writeDataset(
      at: dir.path + "/new", words: ["delta"], takes: 15, patternOffset: 3,
      noiseSeconds: newNoise ? 3 : 0, sampleRate: 8000, seed: 12)
  }
}
