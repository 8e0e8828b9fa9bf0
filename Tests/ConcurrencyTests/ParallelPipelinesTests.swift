import Foundation
import SpeechAudio
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// The product's parallel paths end to end: `classify`'s ordered batches, training's parallel
/// feature extraction, and the OpenBLAS thread count switched around them. A randomly initialised
/// network is enough (the answers only have to agree), so the suite stays quick under
/// ThreadSanitizer.
@Suite struct ParallelPipelinesTests {
  /// An untrained model over the synthetic-words front end (weights from a fixed seed).
  static let classifier: Classifier = {
    var rng = SeededGenerator(seed: 7)
    let config = SyntheticWords.frontEndConfig
    do {
      let size = try FrontEnd(config: config).inputSize
      let network = MLP(
        inputSize: size, hidden: [32], outputSize: SyntheticWords.labels.count, using: &rng)
      let metadata = ModelMetadata(
        labels: SyntheticWords.labels, featureConfig: try config.jsonString(),
        inputMean: [Float](repeating: 0, count: size),
        inputStd: [Float](repeating: 1, count: size), architecture: ModelArchitecture(network))
      return try Classifier(model: ModelFile(network: network, metadata: metadata))
    } catch {
      fatalError("test model: \(error)")
    }
  }()

  /// Classifies `arguments` with `threads` workers and batches of `batchSize`.
  func classify(_ arguments: [String], threads: Int, batchSize: Int) throws -> [FileResult] {
    var options = ClassifyOptions()
    options.threads = threads
    options.batchSize = batchSize
    options.allWindows = true
    let batch = try BatchClassifier(classifier: Self.classifier, options: options)
    var results: [FileResult] = []
    batch.run(AudioPaths(arguments: arguments)) { results.append($0) }
    return results
  }

  @Test func classifyGivesTheSameResultsOnAnyNumberOfThreads() throws {
    let folder = try TemporaryFolder()
    var rng = SeededGenerator(seed: 3)
    var paths: [String] = []
    for i in 0..<24 {
      let path = folder.file("clip\(i).wav")
      if i % 7 == 3 {
        try folder.write("clip\(i).wav", "not audio")
      } else {
        // Lengths from 0.5 to 2.2 s, so some files have several windows.
        let seconds = 0.5 + Double(i % 6) * 0.35
        let label = SyntheticWords.labels[i % SyntheticWords.labels.count]
        try AudioFile.write(
          SyntheticWords.clip(label, seconds: seconds, sampleRate: 8000, using: &rng),
          sampleRate: 8000, to: path)
      }
      paths.append(path)
    }
    // One window per batch, so both runs make the same network passes (same rounding), on one
    // OpenBLAS thread held for both: `blasThreadCountIsRestoredAroundEachCommand`, running
    // beside this test, holds two, which classify's preference for one gives way to, and a pass
    // split over two threads can round its last bit otherwise (seen once in a ThreadSanitizer
    // run of scripts/test.sh).
    let (serial, parallel) = try LinearAlgebra.withExactThreadCount(1) {
      (
        try classify(paths, threads: 1, batchSize: 1),
        try classify(paths, threads: 4, batchSize: 1)
      )
    }
    #expect(parallel == serial)
    #expect(serial.map(\.path) == paths)
    #expect(serial.filter { if case .failed = $0 { true } else { false } }.count == 3)
  }

  @Test func trainingFeaturesDoNotDependOnTheThreads() throws {
    let frontEnd = try FrontEnd(config: SyntheticWords.frontEndConfig)
    var rng = SeededGenerator(seed: 11)
    let clips = (0..<40).map { i in
      SyntheticWords.clip(
        SyntheticWords.labels[i % SyntheticWords.labels.count], sampleRate: 8000, using: &rng)
    }
    let rows = Parallel.fillRows(rows: clips.count, cols: frontEnd.inputSize) { r, destination in
      let features = frontEnd.features(clip: clips[r])
      for c in features.indices { destination[c] = features[c] }
    }
    #expect(rows == clips.flatMap { frontEnd.features(clip: $0) })
  }

  /// The second training runs beside the first (`BackgroundTraining`): on its thread it gives
  /// the network it gives alone, and `interrupt` ends it at its next batch.
  @Test func aTrainingBesideAnotherGivesTheNetworkItGivesAlone() throws {
    let dir = try TemporaryFolder()
    try SyntheticDataset.writeDataset(
      at: dir.path, words: ["alpha", "bravo"], takes: 8, noiseSeconds: 2, sampleRate: 8000,
      seed: 3)
    var job = TrainingJob(data: [.folder(dir.path)], output: dir.path + "/unused.safetensors")
    job.frontEnd = SyntheticWords.frontEndConfig
    job.options.convolution = nil
    job.options.hidden = [16]
    job.options.epochs = 2
    job.options.batchSize = 8
    let session = try TrainingSession(job)
    let trainer = Trainer(
      dataset: session.dataset, frontEnd: session.frontEnd, options: job.options)
    let (alone, beside, front) = try LinearAlgebra.withExactThreadCount(1) {
      () throws(DatasetError) -> (TrainedNetwork, TrainedNetwork, TrainedNetwork) in
      let alone = try trainer.train(start: .fresh)
      let background = BackgroundTraining(trainer: trainer, start: .fresh)
      let front = try trainer.train(start: .fresh)
      var events = 0
      let beside = try background.finish(observe: { _ in events += 1 }, shouldStop: { false })
      #expect(events > 0)
      return (alone, beside, front)
    }
    let parameters = try #require(alone.network).parameters
    #expect(beside.network?.parameters == parameters)
    #expect(front.network?.parameters == parameters)

    var long = job.options
    long.epochs = 10_000
    var longTrainer = trainer
    longTrainer.options = long
    let interrupted = BackgroundTraining(trainer: longTrainer, start: .fresh)
    interrupted.interrupt()
    let stopped = try interrupted.finish(observe: { _ in }, shouldStop: { false })
    #expect(stopped.stop == .interrupted && stopped.history.count < long.epochs)
  }

  @Test func blasThreadCountIsRestoredAroundEachCommand() throws {
    var rng = SeededGenerator(seed: 5)
    let network = MLP(inputSize: 300, hidden: [256, 256], outputSize: 10, using: &rng)
    let x = Matrix(
      rows: 512, cols: 300,
      values: (0..<512 * 300).map { _ in Float.random(in: -1...1, using: &rng) })
    let one = LinearAlgebra.withThreadCount(1) { network.probabilities(x, loss: .crossEntropy) }
    let two = LinearAlgebra.withExactThreadCount(2) { () -> Matrix in
      // classify prefers one thread; under an exact hold it runs with the held count.
      _ = try? classify([], threads: 2, batchSize: 1)
      #expect(LinearAlgebra.threadCount == 2)
      return network.probabilities(x, loss: .crossEntropy)
    }
    #expect(one.values.count == two.values.count)
    #expect(zip(one.values, two.values).allSatisfy { abs($0 - $1) <= 1e-5 })
  }
}
