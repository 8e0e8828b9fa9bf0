import Foundation
import SpeechAudio
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

@Suite struct ClassifierTests {
  @Test func syntheticModelTellsTheWordsApart() {
    var rng = SeededGenerator(seed: 99)
    var correct = 0
    var total = 0
    for _ in 0..<6 {
      for label in SyntheticWords.labels {
        let ranked = SyntheticFixture.classifier.classify(
          clip: SyntheticFixture.clip(label, using: &rng))
        if ranked[0].label == label { correct += 1 }
        total += 1
        #expect(abs(ranked.map(\.score).reduce(0, +) - 1) < 1e-4)
        #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.score >= $1.score })
      }
    }
    #expect(Double(correct) / Double(total) >= 0.9, "\(correct)/\(total) correct")
  }

  /// A clip's probabilities are the mean of its views' probabilities, each view scored by a
  /// model that looks at that view alone.
  @Test func probabilitiesAreTheMeanOverTheViews() throws {
    let model = SyntheticFixture.model
    let config = try FrontEndConfig(jsonString: model.metadata.featureConfig)
    let shifts = try #require(config.viewShifts)
    #expect(shifts.count == 5)
    let averaged = try Classifier(model: model)
    var rng = SeededGenerator(seed: 4)
    let clip = SyntheticFixture.clip("up", using: &rng)
    var mean = [Float](repeating: 0, count: averaged.labels.count)
    for shift in shifts {
      var single = config
      single.viewShifts = [shift]
      var copy = model
      copy.metadata.featureConfig = try single.jsonString()
      let view = try Classifier(model: copy)
      for score in view.classify(clip: clip) {
        mean[view.labels.firstIndex(of: score.label)!] += score.score / Float(shifts.count)
      }
    }
    for score in averaged.classify(clip: clip) {
      let want = mean[averaged.labels.firstIndex(of: score.label)!]
      #expect(abs(score.score - want) < 1e-5, "\(score.label)")
    }
  }

  /// A few rows (one clip's views) are scored one at a time, without BLAS: the same
  /// probabilities as in a large batch, to rounding.
  @Test func fewRowsScoreAsInABatch() {
    let classifier = SyntheticFixture.classifier
    var rng = SeededGenerator(seed: 11)
    let values = (0..<(40 * classifier.inputSize)).map { _ in Float.random(in: -1...1, using: &rng)
    }
    let batch = classifier.probabilities(
      viewFeatures: Matrix(rows: 40, cols: classifier.inputSize, values: values))
    let few = classifier.probabilities(
      viewFeatures: Matrix(
        rows: 5, cols: classifier.inputSize, values: Array(values.prefix(5 * classifier.inputSize)))
    )
    #expect(few.rows == 5 && few.cols == classifier.labels.count)
    #expect(zip(few.values, batch.values).allSatisfy { abs($0 - $1) < 1e-5 })
  }

  @Test func inconsistentModelsAreRejected() throws {
    var model = SyntheticFixture.model
    model.metadata.labels.removeLast()
    #expect(throws: ModelLoadError.self) { try Classifier(model: model, path: "m") }
    model = SyntheticFixture.model
    model.metadata.featureConfig = "{not json"
    #expect(throws: ModelLoadError.self) { try Classifier(model: model, path: "m") }
    model = SyntheticFixture.model
    model.metadata.inputStd = [1]
    #expect(throws: ModelLoadError.self) { try Classifier(model: model, path: "m") }
    #expect(throws: ModelLoadError.self) {
      try Classifier(modelAt: "/nonexistent/model.safetensors")
    }
  }
}

@Suite struct BatchClassifierTests {
  /// Writes clips of the given labels at `rate` into a scratch folder; returns the folder.
  func writeClips(_ labels: [String], rate: Int = 16000, seed: UInt64 = 5) throws -> (
    TemporaryFolder, [String]
  ) {
    let folder = try TemporaryFolder()
    var rng = SeededGenerator(seed: seed)
    var paths: [String] = []
    for (i, label) in labels.enumerated() {
      let path = folder.path + String(format: "/%03d-%@.wav", i, label)
      try AudioFile.write(
        SyntheticWords.clip(label, sampleRate: rate, using: &rng), sampleRate: rate, to: path)
      paths.append(path)
    }
    return (folder, paths)
  }

  func run(_ batch: BatchClassifier, _ arguments: [String]) -> [FileResult] {
    var results: [FileResult] = []
    batch.run(AudioPaths(arguments: arguments)) { results.append($0) }
    return results
  }

  @Test func resultsKeepInputOrderAcrossChunksAndThreadsAndResample() throws {
    let labels = ["low", "high", "sweep", "low", "_silence_", "high", "sweep", "high"]
    // Written at 16 kHz; the model reads 8 kHz, so every file is resampled.
    let (folder, paths) = try writeClips(labels)
    _ = folder
    var options = ClassifyOptions()
    options.threads = 2
    options.batchSize = 3
    options.topK = 2
    let batch = try BatchClassifier(classifier: SyntheticFixture.classifier, options: options)
    let reversed = Array(paths.reversed())
    let results = run(batch, reversed)
    #expect(results.map(\.path) == reversed)
    var correct = 0
    for (result, label) in zip(results, labels.reversed()) {
      guard case .classified(_, let windows, _) = result else {
        Issue.record("\(result) failed")
        continue
      }
      #expect(windows.count == 1 && windows[0].top.count == 2)
      if windows[0].label == label { correct += 1 }
    }
    #expect(correct >= 7)
    // The same files through one thread in one batch give the same results (BLAS may round the
    // last bit differently for another batch size).
    options.threads = 1
    options.batchSize = 64
    let serial = run(
      try BatchClassifier(classifier: SyntheticFixture.classifier, options: options), reversed)
    for (a, b) in zip(serial, results) {
      guard case .classified(let pa, let wa, _) = a, case .classified(let pb, let wb, _) = b else {
        Issue.record("\(a) vs \(b)")
        continue
      }
      #expect(pa == pb && wa.map(\.label) == wb.map(\.label))
      #expect(
        zip(wa[0].top, wb[0].top).allSatisfy {
          $0.label == $1.label && abs($0.score - $1.score) < 1e-5
        })
    }
  }

  /// With the default thread count (nil: all cores), a run of one batch is classified on the
  /// calling thread and a longer one by the workers; both give each file's result, in order.
  @Test func theDefaultThreadCountClassifiesOneBatchOrMany() throws {
    let labels = ["low", "high", "sweep", "high"]
    let (folder, paths) = try writeClips(labels)
    _ = folder
    var options = ClassifyOptions()
    #expect(options.threads == nil)
    for batchSize in [64, 1] {
      options.batchSize = batchSize
      let results = run(
        try BatchClassifier(classifier: SyntheticFixture.classifier, options: options), paths)
      #expect(results.map(\.path) == paths)
      let predicted = results.map { result -> String in
        guard case .classified(_, let windows, _) = result else { return "failed" }
        return windows[0].label
      }
      #expect(zip(predicted, labels).filter { $0 == $1 }.count >= 3, "\(predicted)")
    }
    // Zero threads, and more than any machine has (a huge count overflowed the pipeline's
    // window and crashed; a hundred million hung starting threads).
    for threads in [0, ClassifyOptions.maximumThreads + 1, Int.max / 2] {
      options.threads = threads
      #expect(throws: SettingError.self) {
        try BatchClassifier(classifier: SyntheticFixture.classifier, options: options)
      }
    }
  }

  /// A model that cannot be loaded is named once, with the loader's reason.
  @Test func anUnloadableModelIsNamedOnce() throws {
    let path = "/nonexistent-\(UInt64.random(in: 0...UInt64.max)).safetensors"
    #expect {
      try Classifier(modelAt: path)
    } throws: { error in
      let text = "\(error)"
      return text.components(separatedBy: path).count == 2
        && text.hasPrefix("cannot load model '\(path)': ")
    }
  }

  struct Stop: Error {}

  @Test func anErrorFromTheCallerStopsTheWorkers() throws {
    let (folder, paths) = try writeClips(["low", "high", "sweep"])
    _ = folder
    var options = ClassifyOptions()
    options.threads = 2
    options.batchSize = 1
    let batch = try BatchClassifier(classifier: SyntheticFixture.classifier, options: options)
    var seen: [String] = []
    #expect(throws: Stop.self) {
      try batch.run(AudioPaths(arguments: paths + paths + paths)) { result in
        seen.append(result.path)
        if seen.count == 2 { throw Stop() }
      }
    }
    #expect(seen == Array(paths.prefix(2)))
  }

  @Test func unreadableFilesFailAloneAndNameTheFile() throws {
    let (folder, paths) = try writeClips(["low", "high"])
    try folder.write("broken.wav", "RIFF but not really")
    let broken = folder.path + "/broken.wav"
    let batch = try BatchClassifier(classifier: SyntheticFixture.classifier)
    let results = run(batch, [paths[0], broken, "/nonexistent.wav", paths[1]])
    #expect(results.map(\.path) == [paths[0], broken, "/nonexistent.wav", paths[1]])
    guard case .failed(_, let reason) = results[1], case .failed(_, let missing) = results[2] else {
      Issue.record("expected failures, got \(results)")
      return
    }
    #expect(reason.contains(broken))
    #expect(missing.contains("/nonexistent.wav"))
    if case .classified = results[3] {
    } else {
      Issue.record("the file after a failure must be classified")
    }
  }

  /// A tone's RMS is its amplitude over √2: at −59 dBFS it is sound, at −61 dBFS it is not, nor
  /// are empty audio and zeros; 25 ms of sound anywhere in a second of zeros is sound.
  @Test func theSilenceGateMeasuresTheLoudest25Milliseconds() {
    let rate = 16000
    func tone(_ dBFS: Double, count: Int) -> [Float] {
      let amplitude = 2.0.squareRoot() * pow(10, dBFS / 20)
      return (0..<count).map { Float(amplitude * sin(2 * .pi * 440 * Double($0) / Double(rate))) }
    }
    #expect(!SilenceGate.isSilent(tone(-59, count: 1600), sampleRate: rate))
    #expect(SilenceGate.isSilent(tone(-61, count: 16000), sampleRate: rate))
    #expect(SilenceGate.isSilent([], sampleRate: rate))
    #expect(SilenceGate.isSilent([Float](repeating: 0, count: 16000), sampleRate: rate))
    var burst = [Float](repeating: 0, count: 16000)
    burst.replaceSubrange(8000..<8400, with: tone(-50, count: 400))
    #expect(!SilenceGate.isSilent(burst, sampleRate: rate))
  }

  /// A recording without sound is `_silence_` with probability 1, the network not asked (a
  /// second of hum at −71 dBFS, and a 4 ms scrap of it); a model without `_silence_` scores it as
  /// usual and says its label is a guess.
  @Test func aRecordingWithoutSoundIsSilence() throws {
    let rate = SyntheticFixture.classifier.sampleRate
    var options = ClassifyOptions()
    options.topK = 2
    options.threshold = 0.9
    let batch = try BatchClassifier(classifier: SyntheticFixture.classifier, options: options)
    let hum = (0..<rate).map { Float(0.0004 * sin(Double($0) / 5)) }
    for samples in [hum, Array(hum.prefix(rate / 250))] {
      let window = try #require(batch.classify(samples: samples).first)
      #expect(window.label == silenceLabel && window.score == 1)
      #expect(window.top.first == LabelScore(label: silenceLabel, score: 1))
    }
    var model = SyntheticFixture.model
    model.metadata.labels = model.metadata.labels.map { $0 == silenceLabel ? "hush" : $0 }
    let unsure = try BatchClassifier(classifier: Classifier(model: model, path: "m.safetensors"))
    let folder = try TemporaryFolder()
    let path = folder.path + "/hum.wav"
    try AudioFile.write(hum, sampleRate: rate, to: path)
    guard case .classified(_, let windows, let notice) = try #require(run(unsure, [path]).first)
    else {
      Issue.record("the hum must be classified")
      return
    }
    #expect(windows.count == 1 && windows[0].label != silenceLabel)
    #expect(
      notice
        == "'\(path)' holds no sound above -60 dBFS, and the model has no _silence_ class: "
        + "its label is a guess")
  }

  @Test func thresholdTurnsUnsureAnswersIntoUnknown() throws {
    var rng = SeededGenerator(seed: 3)
    let clip = SyntheticFixture.clip("low", using: &rng)
    // The zeroed model gives 0.2 to each of its five labels.
    var options = ClassifyOptions()
    options.threshold = 0.5
    options.topK = 2
    let strict = try BatchClassifier(classifier: SyntheticFixture.uniform, options: options)
    let window = strict.classify(samples: clip)[0]
    #expect(window.label == unknownLabel)
    #expect(
      window.score == 0.2 && window.top.map(\.label) == Array(SyntheticWords.labels.prefix(2)))
    options.threshold = 0.2
    let lenient = try BatchClassifier(classifier: SyntheticFixture.uniform, options: options)
    #expect(lenient.classify(samples: clip)[0].label == SyntheticWords.labels[0])
    options.threshold = 1.5
    #expect(throws: SettingError("threshold", "must lie between 0 and 1")) {
      try BatchClassifier(classifier: SyntheticFixture.classifier, options: options)
    }
  }

  @Test func allWindowsCoverALongRecordingAndFindBothWords() throws {
    var rng = SeededGenerator(seed: 11)
    let rate = SyntheticFixture.classifier.sampleRate
    // 3.2 s: "high" in the first second, "sweep" in the last.
    var audio = SyntheticWords.noise(count: Int(3.2 * Double(rate)), level: 0.003, using: &rng)
    let high = SyntheticWords.sound("high", sampleRate: rate, using: &rng)
    let sweep = SyntheticWords.sound("sweep", sampleRate: rate, using: &rng)
    for (i, v) in high.enumerated() { audio[rate / 4 + i] += v }
    for (i, v) in sweep.enumerated() { audio[Int(2.4 * Double(rate)) + i] += v }
    var options = ClassifyOptions()
    options.allWindows = true
    let batch = try BatchClassifier(classifier: SyntheticFixture.classifier, options: options)
    #expect(batch.windowStarts(count: audio.count) == [0, 4000, 8000, 12000, 16000, 17600])
    #expect(batch.windowStarts(count: 100) == [0])
    let windows = batch.classify(samples: audio)
    #expect(windows.map(\.start) == [0, 0.5, 1, 1.5, 2, 2.2])
    #expect(windows.first?.label == "high")
    #expect(windows.last?.label == "sweep")
    // Default: only the loudest window, which holds one of the two words.
    let loudest = try BatchClassifier(classifier: SyntheticFixture.classifier).classify(
      samples: audio)
    #expect(loudest.count == 1 && ["high", "sweep"].contains(loudest[0].label))
  }

  /// Finite weights whose scores overflow (a damaged file: every weight 3e38) are refused when
  /// the model is loaded, so `listen` and `serve` cannot score with them either.
  @Test func weightsThatOverflowAreRefusedAtLoad() {
    var huge = SyntheticFixture.model
    let n = huge.network
    huge.network = MLP(
      inputSize: n.inputSize, hidden: n.hidden, outputSize: n.outputSize,
      parameters: [Float](repeating: 3e38, count: n.parameterCount))
    #expect(
      throws: ModelLoadError.incompatibleModel(
        path: "huge", reason: "its scores are not numbers (damaged weights?)")
    ) {
      try Classifier(model: huge, path: "huge")
    }
    #expect(throws: Never.self) { try Classifier(model: SyntheticFixture.zeroed(huge)) }
  }
}
