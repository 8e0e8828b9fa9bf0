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

  @Test(arguments: [(30.0, 3, 16000, 1), (20.0, 1, 44100, 2), (12.0, 0, 16000, 3), (0.8, 1, 16000, 4)])
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
}
