import Foundation
import SpeechAudio
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// A recording too long to hold is classified from the clip found in two passes of blocks, and
/// that clip is the one `fitClip` cuts from the whole recording, sample for sample.
@Suite struct LongRecordingTests {
  /// `seconds` of quiet noise with `words` synthetic words at random places, at `rate` Hz,
  /// written as a 16-bit WAV in `folder`.
  static func recording(
    seconds: Double, words: Int, rate: Int, seed: UInt64, in folder: TemporaryFolder
  ) throws -> String {
    var rng = SeededGenerator(seed: seed)
    var audio = SyntheticWords.noise(count: Int(seconds * Double(rate)), level: 0.003, using: &rng)
    for _ in 0..<words {
      let word = SyntheticWords.sound(
        SyntheticWords.words.randomElement(using: &rng)!, sampleRate: rate, using: &rng)
      let at = Int.random(in: 0...(audio.count - word.count), using: &rng)
      for i in word.indices { audio[at + i] += word[i] }
    }
    let path = folder.file("long-\(seed)-\(rate).wav")
    try AudioFile.write(audio, sampleRate: rate, to: path)
    return path
  }

  @Test(arguments: [
    (30.0, 3, 16000, 1), (20.0, 1, 44100, 2), (12.0, 0, 16000, 3), (0.8, 1, 16000, 4),
  ])
  func theStreamedClipIsTheWholeRecordingsClip(seconds: Double, words: Int, rate: Int, seed: UInt64)
    throws
  {
    let folder = try TemporaryFolder()
    let path = try Self.recording(
      seconds: seconds, words: words, rate: rate, seed: seed, in: folder)
    let frontEnd = SyntheticFixture.classifier.frontEnd
    let whole = frontEnd.fitClip(try AudioFile.read(at: path, sampleRate: 16000))
    let streamed = try frontEnd.fitClip(streamingFrom: path, sampleRate: 16000)
    #expect(streamed.clip == whole)
    #expect(streamed.cutShort == nil)
  }

  /// Models from before the focus window crop to the loudest whole clip instead.
  @Test func theLegacyRuleToo() throws {
    let folder = try TemporaryFolder()
    let path = try Self.recording(seconds: 15, words: 2, rate: 16000, seed: 5, in: folder)
    var config = SyntheticFixture.classifier.frontEnd.config
    config.focusSeconds = nil
    let legacy = try FrontEnd(config: config)
    let whole = legacy.fitClip(try AudioFile.read(at: path, sampleRate: 16000))
    #expect(try legacy.fitClip(streamingFrom: path, sampleRate: 16000).clip == whole)
  }

  /// The loudest stretch at the very start or the very end: the clip reaches past the
  /// recording, and both ways fill the gap with the same zeros.
  @Test(arguments: [true, false])
  func aWordAtTheEdge(atStart: Bool) throws {
    let folder = try TemporaryFolder()
    var rng = SeededGenerator(seed: 9)
    var audio = SyntheticWords.noise(count: 16000 * 10, level: 0.002, using: &rng)
    let word = SyntheticWords.sound("sweep", using: &rng)
    let at = atStart ? 0 : audio.count - word.count
    for i in word.indices { audio[at + i] += word[i] }
    let path = folder.file("edge.wav")
    try AudioFile.write(audio, sampleRate: 16000, to: path)
    let frontEnd = SyntheticFixture.classifier.frontEnd
    let whole = frontEnd.fitClip(try AudioFile.read(at: path, sampleRate: 16000))
    #expect(try frontEnd.fitClip(streamingFrom: path, sampleRate: 16000).clip == whole)
  }

  /// `classify` takes the streamed path for files over `longRecordingBytes` and gives the same
  /// answers, scores included, as reading them whole.
  @Test func classifyGivesTheSameAnswersEitherWay() throws {
    let folder = try TemporaryFolder()
    let paths = try (1...3).map {
      try Self.recording(seconds: 8, words: 2, rate: 16000, seed: UInt64(10 + $0), in: folder)
    }
    var whole = ClassifyOptions()
    whole.topK = 3
    var streamed = whole
    streamed.longRecordingBytes = 0
    let a = try BatchClassifier(classifier: SyntheticFixture.classifier, options: whole)
      .classify(batch: paths.map { .file($0) })
    let b = try BatchClassifier(classifier: SyntheticFixture.classifier, options: streamed)
      .classify(batch: paths.map { .file($0) })
    #expect(a == b)
    #expect(a.count == 3)
  }

  /// With `allWindows` a long recording's windows are classified as its blocks arrive: the same
  /// windows (the last one ending at the recording's end) and answers as reading it whole (the
  /// scores to rounding: the network scores them in other batches), over
  /// more than one pass of `windowsPerPass` windows, for recordings shorter than a clip, exactly
  /// a clip long and ending between two hops.
  @Test(
    arguments: [
      (10.0, 0.1, 16000, 20), (7.3, nil, 16000, 21), (1.0, nil, 16000, 22), (0.6, nil, 16000, 23),
      (6.0, 0.07, 44100, 24),
    ] as [(Double, Double?, Int, UInt64)])
  func everyWindowStreamedIsTheWholeRecordingsWindow(
    seconds: Double, hop: Double?, rate: Int, seed: UInt64
  ) throws {
    let folder = try TemporaryFolder()
    let path = try Self.recording(
      seconds: seconds, words: 2, rate: rate, seed: seed, in: folder)
    var whole = ClassifyOptions()
    whole.allWindows = true
    whole.windowHopSeconds = hop
    whole.topK = 2
    let classifier = SyntheticFixture.classifier
    // A file's windows are streamed whatever its size (a fine hop multiplies the features
    // held); the recording decoded whole and classified in memory is the reference.
    let batch = try BatchClassifier(classifier: classifier, options: whole)
    let inMemory = batch.classify(
      samples: try AudioFile.read(at: path, sampleRate: classifier.sampleRate))
    guard case .classified(_, let windows, _) = batch.classify(batch: [.file(path)])[0] else {
      Issue.record("not classified: \(path)")
      return
    }
    // The same windows and labels; the scores to rounding (the network sees other batches).
    #expect(windows.count == inMemory.count)
    for (x, y) in zip(windows, inMemory) {
      #expect(x.start == y.start && x.label == y.label && x.top.map(\.label) == y.top.map(\.label))
      #expect(zip(x.top, y.top).allSatisfy { abs($0.score - $1.score) <= 1e-5 })
    }
    let count = try AudioFile.read(at: path, sampleRate: classifier.sampleRate).count
    let starts = try BatchClassifier(classifier: classifier, options: whole)
      .windowStarts(count: count)
    #expect(windows.map(\.start) == starts.map { Double($0) / Double(classifier.sampleRate) })
    if seconds == 10 { #expect(windows.count > BatchClassifier.windowsPerPass) }
  }
}
