import FlyingFox
import Foundation
import SpeechAudio
import SpeechBench
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechServer

/// `/api/listen` against `listen --rate R`: the same samples give the same detections at the
/// same times, whatever the frame sizes.
@Suite struct ListenStreamTests {
  /// 10 synthetic words at 11025 Hz (so the stream is resampled to the model's 8 kHz), as PCM.
  static let pcm: (bytes: [UInt8], rate: Int, truth: [TimedLabel]) = {
    var rng = SeededGenerator(seed: 31)
    let rate = 11025
    var clips: [(label: String, samples: [Float])] = []
    for _ in 0..<6 {
      let label = SyntheticWords.words.randomElement(using: &rng)!
      clips.append((label, SyntheticWords.clip(label, sampleRate: rate, using: &rng)))
    }
    var options = StreamBuilder.Options()
    options.sampleRate = rate
    let noise = SyntheticWords.noise(count: 8000, level: 0.02, using: &rng)
    let (audio, truth) = StreamBuilder(options: options).build(
      clips: clips, noise: noise, using: &rng)
    var bytes: [UInt8] = []
    for v in audio {
      let s = UInt16(bitPattern: Int16(max(-32768, min(32767, (v * 32767).rounded()))))
      bytes += [UInt8(s & 0xff), UInt8(s >> 8)]
    }
    return (bytes, rate, truth)
  }()

  /// What `listen --rate 11025 -` finds in the PCM (the library behind the command).
  static let listened: [Detection] = {
    do {
      let folder = try TemporaryFolder()
      let raw = folder.file("stream.raw")
      try Data(pcm.bytes).write(to: URL(fileURLWithPath: raw))
      let descriptor = open(raw, O_RDONLY)
      defer { close(descriptor) }
      var found: [Detection] = []
      try ListenInputLoop.run(
        .rawPCM(fileDescriptor: descriptor, sampleRate: pcm.rate),
        detector: SlidingWindowDetector(classifier: ServerFixture.classifier)
      ) { found.append($0) }
      return found
    } catch { fatalError("\(error)") }
  }()

  /// The messages of one stream fed in frames of `frameBytes`, ended with `finish`.
  static func stream(frameBytes: Int) throws -> [ListenMessage] {
    let stream = try ListenStream(
      classifier: ServerFixture.classifier, rate: pcm.rate, options: SlidingWindowDetector.Options()
    )
    var texts: [String] = []
    for start in stride(from: 0, to: pcm.bytes.count, by: frameBytes) {
      texts += try stream.feed(Data(pcm.bytes[start..<min(start + frameBytes, pcm.bytes.count)]))
    }
    texts += try stream.finish()
    return try texts.map { try JSONDecoder().decode(ListenMessage.self, from: Data($0.utf8)) }
  }

  @Test(arguments: [2205, 1001, 8192])
  func detectionsEqualListens(frameBytes: Int) throws {
    #expect(Self.listened.count >= 5, "the fixture should hold words to find")
    let detections = try Self.stream(frameBytes: frameBytes).filter { $0.type == "detection" }
    #expect(detections.map(\.label) == Self.listened.map(\.label))
    #expect(detections.map(\.time) == Self.listened.map(\.time))
    #expect(zip(detections, Self.listened).allSatisfy { abs(($0.score ?? -1) - $1.score) < 1e-4 })
  }

  @Test func scoresComeTenTimesPerSecondOfAudio() throws {
    let messages = try Self.stream(frameBytes: 1102)  // 50 ms frames
    let scores = messages.filter { $0.type == "scores" }
    // Scores start once the first 1 s window is complete, then come every 100 ms of audio.
    let seconds = Double(Self.pcm.bytes.count / 2) / Double(Self.pcm.rate) - 1
    #expect(scores.count >= Int(seconds * 10) - 1)
    #expect(scores.count <= Int(seconds * 10) + 1)
    let ticks = scores.map { Int(($0.time / 0.1).rounded(.down)) }
    #expect(zip(ticks.dropFirst(), ticks).allSatisfy { $0 > $1 }, "at most one per 100 ms tick")
    let last = try #require(scores.last?.scores)
    #expect(Set(last.keys) == Set(SyntheticWords.labels))
    #expect(abs(last.values.reduce(0, +) - 1) < 1e-3)
  }

  @Test func badRatesAreRefused() {
    #expect(throws: (any Error).self) {
      try ListenStream(
        classifier: ServerFixture.classifier, rate: 8_000_000,
        options: SlidingWindowDetector.Options())
    }
  }
}
