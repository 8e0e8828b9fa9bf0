import Foundation
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// The replay memory: training keeps a few feature rows of every label in the model, and
/// retraining without the old data replays them, so the old words are not forgotten.
@Suite(.serialized, .tags(.slow)) struct ReplayMemoryTests {
  /// Old words alpha and bravo (40 takes each), then delta from 15 takes, at 8 kHz.
  static let data: TemporaryFolder = {
    let dir = try! TemporaryFolder.forProcess()
    try! SyntheticDataset.writeDataset(
      at: dir.path + "/old", words: ["alpha", "bravo"], takes: 40, noiseSeconds: 3,
      sampleRate: 8000, seed: 11)
    try! SyntheticDataset.writeDataset(
      at: dir.path + "/new", words: ["delta"], takes: 15, patternOffset: 4, noiseSeconds: 3,
      sampleRate: 8000, seed: 12)
    return dir
  }()

  /// The old model, trained once keeping 16 of each label's ~48 training clips.
  static let oldModel: String = {
    var r = TrainingSetup.request(data.path + "/old", out: data.path + "/old.safetensors")
    r.memoryRows = 16
    _ = try! TrainingSession(r).run()
    return r.output
  }()

  @Test func trainingKeepsRowsOfEveryLabelFromItsTrainingClips() throws {
    let old = try ModelFile.load(at: Self.oldModel)
    let memory = try #require(old.memory)
    let session = try TrainingSession(
      TrainingSetup.request(Self.data.path + "/old", out: Self.data.path + "/unused"))
    let train = session.dataset.indices(in: .train)
    #expect(memory.rowsByLabel(classes: 2).map(\.count) == [16, 16])
    // Every row is the normalised feature vector of one of that label's training clips.
    let trainer = Trainer(
      dataset: session.dataset, frontEnd: session.frontEnd, options: session.request.options)
    let features = trainer.features(
      of: train,
      normaliser: FeatureStandardiser(mean: old.metadata.inputMean, std: old.metadata.inputStd))
    for r in 0..<memory.rows {
      let match = train.indices.first { i in
        features.row(i).elementsEqual(memory.row(r))
      }
      let i = try #require(match, "memory row \(r) is no training clip")
      #expect(session.dataset.examples[train[i]].label == memory.labels[r])
    }

    var none = TrainingSetup.request(
      Self.data.path + "/old", out: Self.data.path + "/no-memory.safetensors")
    none.memoryRows = 0
    _ = try TrainingSession(none).run()
    #expect(try ModelFile.load(at: none.output).memory == nil)
  }

  /// Retraining from the model file alone, distillation and anchor off so that only the
  /// memory can keep the old words: with it they stay, with `memoryRows = 0` a third of them
  /// (the ones that sound like the new word) are lost.
  @Test func retrainingWithoutTheOldDataKeepsTheOldWordsWithTheMemory() throws {
    var accuracy: [Int: (old: Double, new: Double)] = [:]
    for rows in [16, 0] {
      let r = try retrain(memoryRows: rows, out: "/new-\(rows).safetensors")
      let old = try Evaluator.evaluate(
        modelPath: r.output, data: .folder(Self.data.path + "/old"), split: .all)
      let new = try Evaluator.evaluate(
        modelPath: r.output, data: .folder(Self.data.path + "/new"), split: .all)
      accuracy[rows] = (old.report.accuracy, new.report.classes[2].recall)
    }
    let (with, without) = (accuracy[16]!, accuracy[0]!)
    #expect(with.new >= 0.8, "new word recall with memory \(with.new)")
    #expect(with.old >= 0.9, "old words with memory \(with.old)")
    #expect(without.old <= 0.75, "old words without memory \(without.old)")

    // The retrained model carries the old rows forward and adds the new word's.
    let before = try #require(try ModelFile.load(at: Self.oldModel).memory)
    let after = try #require(try ModelFile.load(at: Self.data.path + "/new-16.safetensors").memory)
    #expect(after.rowsByLabel(classes: 3).map(\.count) == [16, 16, 13])
    #expect(Array(after.features.prefix(before.features.count)) == before.features)
    #expect(try ModelFile.load(at: Self.data.path + "/new-0.safetensors").memory == nil)
  }

  /// The defaults follow what of the old words is at hand.
  @Test func defaultsFollowWhatOfTheOldWordsIsAtHand() {
    let path = Self.oldModel
    let new: [DataSource] = [.folder(Self.data.path + "/new")]
    let old: [DataSource] = [.folder(Self.data.path + "/old")]
    func defaults(_ model: String, _ data: [DataSource], mixes: Bool = false, rows: Int = 64)
      -> RetrainingDefaults
    {
      RetrainingDefaults(model: model, data: data, mixesOldData: mixes, memoryRows: rows)
    }
    #expect(defaults(path, new) == .memory)
    #expect(defaults(path, new, rows: 0) == .networkOnly)
    #expect(defaults(path, new, mixes: true) == .oldData)
    // New takes of the old words only (personalisation): the network alone, as before.
    #expect(defaults(path, old) == .networkOnly)
    #expect(defaults("/nonexistent.safetensors", new) == .networkOnly)
  }

  /// New takes of old words only (personalisation) are learned as before: the memory is not
  /// replayed, so the network is the one retraining without a memory gives.
  @Test func newTakesOfOldWordsAloneDoNotReplayTheMemory() throws {
    var networks: [MLP] = []
    for rows in [16, 0] {
      var r = TrainingSetup.request(
        Self.data.path + "/old", out: Self.data.path + "/own-\(rows).safetensors")
      r.fromModel = Self.oldModel
      r.options = .retraining
      r.options.epochs = 3
      r.memoryRows = rows
      _ = try TrainingSession(r).run()
      networks.append(try ModelFile.load(at: r.output).network)
    }
    #expect(networks[0] == networks[1])
  }

  /// Replay draws from the seeded generator only: the same seed gives the same bytes.
  @Test func retrainingWithTheMemoryIsReproducible() throws {
    let a = try retrain(memoryRows: 16, out: "/same-a.safetensors", epochs: 3)
    let b = try retrain(memoryRows: 16, out: "/same-b.safetensors", epochs: 3)
    let bytes = try [a, b].map { try Data(contentsOf: URL(fileURLWithPath: $0.output)) }
    #expect(bytes[0] == bytes[1])
  }

  /// Retrains the old model on delta alone (no old data), keeping `memoryRows` rows per label;
  /// distillation and the anchor off and a fast learning rate without label smoothing, so that
  /// toy words this distinct are forgotten within 20 epochs unless something keeps them.
  func retrain(memoryRows: Int, out: String, epochs: Int = 20) throws -> TrainingJob {
    var r = TrainingSetup.request(Self.data.path + "/new", out: Self.data.path + out)
    r.fromModel = Self.oldModel
    r.options = .retraining
    r.options.epochs = epochs
    r.options.batchSize = 16
    r.retraining.distillWeight = 0
    r.retraining.anchor = 0
    r.memoryRows = memoryRows
    r.options.learningRate = 1e-2
    r.options.labelSmoothing = 0
    _ = try TrainingSession(r).run()
    return r
  }
}

@Suite struct MemorySelectionTests {
  /// Herding picks rows whose running mean tracks the label's mean; a label with no more rows
  /// than asked keeps them all; nothing is kept at 0 rows.
  @Test func herdingKeepsRowsWhoseMeanIsTheLabelsMean() throws {
    // Label 0: values 0…9 (mean 4.5); label 1: two rows.
    let x = Matrix(rows: 12, cols: 1, values: (0..<10).map(Float.init) + [100, 200])
    let labels = [Int](repeating: 0, count: 10) + [1, 1]
    let memory = try #require(
      MemorySelection.select(
        x, labels: labels, classes: 2, rowsPerLabel: 2))
    #expect(memory.labels == [0, 0, 1, 1])
    // First the row nearest 4.5 (4, the lower on a tie with 5), then the one that brings the
    // mean of two back to 4.5 (5).
    #expect(memory.features == [4, 5, 100, 200])
    #expect(
      MemorySelection.select(x, labels: labels, classes: 2, rowsPerLabel: 0) == nil)
  }
}
