import Foundation
import SpeechAudio
import SpeechBench
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// `listen` end to end on a stream built from synthetic words with known times.
@Suite struct ListenTests {
  /// 11 words and 1 distractor under faint noise, at the model's rate, and its truth.
  static let stream: (audio: [Float], truth: [TimedLabel]) = {
    var rng = SeededGenerator(seed: 21)
    var clips: [(label: String, samples: [Float])] = []
    for i in 0..<12 {
      let label = i == 5 ? unknownLabel : SyntheticWords.words.randomElement(using: &rng)!
      clips.append((label, SyntheticFixture.clip(label, using: &rng)))
    }
    var options = StreamBuilder.Options()
    options.sampleRate = SyntheticFixture.classifier.sampleRate
    let noise = SyntheticWords.noise(count: 8000, level: 0.05, using: &rng)
    return StreamBuilder(options: options).build(clips: clips, noise: noise, using: &rng)
  }()

  /// The stream as written to a 16-bit WAV file and read back: what the file and PCM inputs see.
  static let quantised: [Float] = {
    do {
      let folder = try TemporaryFolder()
      let wav = folder.path + "/stream.wav"
      try AudioFile.write(stream.audio, sampleRate: SyntheticFixture.classifier.sampleRate, to: wav)
      return try AudioFile.read(at: wav, sampleRate: SyntheticFixture.classifier.sampleRate)
    } catch { fatalError("\(error)") }
  }()

  /// Detections in the quantised stream, fed in blocks of 4000 samples.
  static let expected: [Detection] = {
    do { return try detect(quantised) } catch { fatalError("\(error)") }
  }()

  static func detect(_ audio: [Float], blocks: Int = 4000) throws -> [Detection] {
    let detector = try SlidingWindowDetector(classifier: SyntheticFixture.classifier)
    var found: [Detection] = []
    for start in stride(from: 0, to: audio.count, by: blocks) {
      found += detector.process(Array(audio[start..<min(start + blocks, audio.count)]))
    }
    return found
  }

  /// Same labels and times, scores within 1e-4 (BLAS rounds differently for other batch sizes).
  func expectSame(
    _ a: [Detection], _ b: [Detection], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(a.map(\.label) == b.map(\.label), sourceLocation: sourceLocation)
    #expect(a.map(\.time) == b.map(\.time), sourceLocation: sourceLocation)
    #expect(
      zip(a, b).allSatisfy { abs($0.score - $1.score) < 1e-4 }, sourceLocation: sourceLocation)
  }

  @Test func streamBuilderPlacesWordsWhereTheTruthSays() {
    var rng = SeededGenerator(seed: 1)
    var options = StreamBuilder.Options()
    options.sampleRate = 100
    options.gapSeconds = 0.5...0.5
    options.noiseVolume = 0
    let clip = [Float](repeating: 1, count: 100)
    let (audio, truth) = StreamBuilder(options: options).build(
      clips: [("a", clip), (unknownLabel, clip), ("b", clip)], noise: [], using: &rng)
    #expect(truth == [TimedLabel(label: "a", time: 1), TimedLabel(label: "b", time: 4)])
    #expect(audio.count == 100 + 3 * 150)
    #expect(audio[400] == 1 && audio[399] == 0)
  }

  @Test func detectionsMatchTheTruth() throws {
    let truth = Self.stream.truth
    #expect(truth.count == 11)
    let found = Self.expected
    let score = DetectionScorer.score(
      truth: truth, detections: found.map { TimedLabel(label: $0.label, time: $0.time) })
    #expect(score.correct >= 10, "\(score.summary)\n\(found)\n\(truth)")
    #expect(score.falsePositives + score.wrong <= 1, "\(score.summary)\n\(found)\n\(truth)")
    #expect(found.allSatisfy { $0.label != silenceLabel && $0.label != unknownLabel })
  }

  @Test func blockSizeDoesNotChangeWhatIsFound() throws {
    let part = Array(Self.quantised.prefix(12 * SyntheticFixture.classifier.sampleRate))
    expectSame(try Self.detect(part, blocks: 333), Self.expected.filter { $0.time < 11 })
  }

  @Test func fileAndRawPCMInputsGiveTheSameDetections() throws {
    let rate = SyntheticFixture.classifier.sampleRate
    let folder = try TemporaryFolder()
    let wav = folder.path + "/stream.wav"
    try AudioFile.write(Self.stream.audio, sampleRate: rate, to: wav)
    #expect(try AudioFile.read(at: wav, sampleRate: rate) == Self.quantised)

    var fromFile: [Detection] = []
    let seconds = try ListenInputLoop.run(
      .file(wav), detector: SlidingWindowDetector(classifier: SyntheticFixture.classifier)
    ) { fromFile.append($0) }
    expectSame(fromFile, Self.expected)
    #expect(abs(seconds - Double(Self.quantised.count) / Double(rate)) < 1e-9)

    // The same samples as raw S16_LE through a descriptor; an odd read size splits samples.
    let raw = folder.path + "/stream.raw"
    try Data(Self.pcm(Self.quantised, scale: 32768)).write(to: URL(fileURLWithPath: raw))
    let descriptor = open(raw, O_RDONLY)
    defer { close(descriptor) }
    let reader = PCMReader(fileDescriptor: descriptor, bytesPerRead: 1001)
    var samples: [Float] = []
    while let block = try reader.next() { samples += block }
    #expect(samples == Self.quantised)
    #expect(!reader.endedInsideASample)
    lseek(descriptor, 0, SEEK_SET)
    var fromPCM: [Detection] = []
    try ListenInputLoop.run(
      .rawPCM(fileDescriptor: descriptor, sampleRate: rate),
      detector: SlidingWindowDetector(classifier: SyntheticFixture.classifier)
    ) { fromPCM.append($0) }
    expectSame(fromPCM, Self.expected)
  }

  /// Raw PCM with an odd number of bytes: the last half sample is dropped, and said so.
  @Test func rawPCMEndingInsideASampleIsSaid() throws {
    let folder = try TemporaryFolder()
    let raw = folder.path + "/odd.raw"
    try Data(Self.pcm(Self.quantised, scale: 32768) + [0x7F]).write(to: URL(fileURLWithPath: raw))
    let descriptor = open(raw, O_RDONLY)
    defer { close(descriptor) }
    var notices: [String] = []
    var detections: [Detection] = []
    try ListenInputLoop.run(
      .rawPCM(fileDescriptor: descriptor, sampleRate: SyntheticFixture.classifier.sampleRate),
      detector: SlidingWindowDetector(classifier: SyntheticFixture.classifier),
      onNotice: { notices.append($0) }
    ) { detections.append($0) }
    expectSame(detections, Self.expected)
    #expect(notices == ["the input ended inside a 16-bit sample: its last byte was dropped"])
  }

  @Test func rawPCMAtAnotherRateIsResampled() throws {
    let rate = SyntheticFixture.classifier.sampleRate
    let doubled = try Resampler.resample(Self.stream.audio, from: rate, to: rate * 2)
    let folder = try TemporaryFolder()
    let raw = folder.path + "/stream.raw"
    try Data(Self.pcm(doubled, scale: 32767)).write(to: URL(fileURLWithPath: raw))
    let descriptor = open(raw, O_RDONLY)
    defer { close(descriptor) }
    var found: [TimedLabel] = []
    try ListenInputLoop.run(
      .rawPCM(fileDescriptor: descriptor, sampleRate: rate * 2),
      detector: SlidingWindowDetector(classifier: SyntheticFixture.classifier)
    ) { found.append(TimedLabel(label: $0.label, time: $0.time)) }
    let score = DetectionScorer.score(truth: Self.stream.truth, detections: found)
    #expect(score.correct >= 9, "\(score.summary)")
  }

  /// A WAV piped to `listen -` (`sox in.flac -t wav - | speechcmd listen -`): libsndfile's
  /// stereo WAV at twice the model's rate, each channel the stream, is read at its header's rate
  /// with its channels averaged, so it finds what the raw mono PCM finds; and a header's bytes
  /// are never read as samples. Written by libsndfile, so the header is not this reader's own.
  @Test func aWAVOnStandardInputIsReadByItsHeader() throws {
    let rate = SyntheticFixture.classifier.sampleRate
    let doubled = try Resampler.resample(Self.stream.audio, from: rate, to: rate * 2)
    let folder = try TemporaryFolder()
    let wav = folder.path + "/stereo.wav"
    var interleaved: [Float] = []
    for v in doubled { interleaved += [v, v] }
    try AudioFile.write(interleaved, sampleRate: rate * 2, to: wav, channels: 2)
    let descriptor = open(wav, O_RDONLY)
    defer { close(descriptor) }
    var found: [TimedLabel] = []
    let seconds = try ListenInputLoop.run(
      .rawPCM(fileDescriptor: descriptor, sampleRate: nil),
      detector: SlidingWindowDetector(classifier: SyntheticFixture.classifier)
    ) { found.append(TimedLabel(label: $0.label, time: $0.time)) }
    let score = DetectionScorer.score(truth: Self.stream.truth, detections: found)
    #expect(score.correct >= 9, "\(score.summary)")
    #expect(abs(seconds - Double(Self.stream.audio.count) / Double(rate)) < 0.01)

    // The header read alone: the rate, the channels and the length it announces.
    lseek(descriptor, 0, SEEK_SET)
    let (header, pending) = try WAVStreamHeader.read(from: descriptor)
    #expect(
      header
        == WAVStreamHeader(
          sampleRate: rate * 2, channels: 2, dataBytes: UInt64(interleaved.count * 2)))
    #expect(pending.isEmpty)
    // The PCM after it, averaged: the 16-bit values libsndfile decodes.
    let reader = PCMReader(fileDescriptor: descriptor, channels: 2, limit: header?.dataBytes)
    var samples: [Float] = []
    while let block = try reader.next() { samples += block }
    #expect(samples == (try AudioFile.read(at: wav, sampleRate: rate * 2)))

    // The same WAV through a pipe, a few bytes at a time (reads end inside the header and inside
    // stereo frames), and cut short: the same samples as far as they go, and a notice.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: wav))
    let kept = bytes.count - 2 * 4 * Int(rate) - 3  // two seconds at twice the rate, and 3 bytes
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let (readEnd, writeEnd) = (ends[0], ends[1])
    let writer = Thread {
      var offset = 0
      var step = 1
      while offset < kept {
        let n = min(step, kept - offset)
        _ = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress! + offset, n) }
        offset += n
        step = step % 997 + 7
      }
      close(writeEnd)
    }
    writer.start()
    defer { close(readEnd) }
    var notices: [String] = []
    var piped: [TimedLabel] = []
    try ListenInputLoop.run(
      .rawPCM(fileDescriptor: readEnd, sampleRate: nil),
      detector: SlidingWindowDetector(classifier: SyntheticFixture.classifier),
      onNotice: { notices.append($0) }
    ) { piped.append(TimedLabel(label: $0.label, time: $0.time)) }
    let early = { (d: TimedLabel) in d.time < seconds - 3 }
    #expect(!found.filter(early).isEmpty && found.filter(early) == piped.filter(early))
    let total = String(format: "%.3f", Double(interleaved.count) / Double(rate * 2) / 2)
    #expect(
      notices.contains { $0.hasPrefix("the input ended inside a frame of 2 16-bit samples") }
        && notices.contains {
          $0.hasPrefix("standard input is cut short: it holds ")
            && $0.hasSuffix(
              "s of the \(total) s its WAV header announces")
        }, "\(notices)")
  }

  /// What `listen -` does not read is refused with what to do instead, before any detection:
  /// other containers, other sample formats, a `--rate` the header contradicts.
  @Test func otherStreamsOnStandardInputAreRefusedWithTheReason() throws {
    let rate = SyntheticFixture.classifier.sampleRate
    let folder = try TemporaryFolder()
    let cases: [(AudioWriteFormat, Int?, String)] = [
      (.wav24, nil, "standard input is a WAV of 24-bit samples: convert it to 16-bit"),
      (.wavFloat, nil, "standard input is a WAV of floating-point samples"),
      (.flac16, nil, "standard input holds a FLAC file: listen - reads raw 16-bit PCM or a 16-bit"),
      (.wav16, rate * 2, "standard input is a WAV at \(rate) Hz, but --rate says \(rate * 2)"),
    ]
    for (index, (format, given, message)) in cases.enumerated() {
      let path = folder.path + "/\(index).audio"
      try AudioFile.write(Self.stream.audio, sampleRate: rate, to: path, format: format)
      let descriptor = open(path, O_RDONLY)
      defer { close(descriptor) }
      var detections = 0
      let error = #expect(throws: ListenError.self) {
        try ListenInputLoop.run(
          .rawPCM(fileDescriptor: descriptor, sampleRate: given),
          detector: SlidingWindowDetector(classifier: SyntheticFixture.classifier)
        ) { _ in detections += 1 }
      }
      #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
      #expect(detections == 0)
    }
  }

  @Test func badOptionsAreRejected() {
    var options = SlidingWindowDetector.Options()
    options.strideSeconds = 0
    #expect(throws: SettingError("strideSeconds", "must lie in (0, 3600] seconds")) {
      try SlidingWindowDetector(classifier: SyntheticFixture.classifier, options: options)
    }
    // Absurd settings (as a damaged model's operating point could hold) would never report.
    options = SlidingWindowDetector.Options()
    options.recognizer.averageWindowMs = 60_001
    #expect(
      throws: SettingError("recognizer.averageWindowMs", "must lie between 0 and 60 seconds")
    ) { try SlidingWindowDetector(classifier: SyntheticFixture.classifier, options: options) }
    options = SlidingWindowDetector.Options()
    options.recognizer.minimumCount = 1 << 62
    #expect(throws: SettingError("recognizer.minimumCount", "must lie between 1 and 10000")) {
      try SlidingWindowDetector(classifier: SyntheticFixture.classifier, options: options)
    }
    #expect(
      OperatingPoint(
        jsonString:
          #"{"averageWindowMs":1000000000000000,"minimumCount":3,"suppressionMs":1500,"threshold":0.7}"#
      ) == nil)
    // In range, but 10 ms cannot hold 3 results 30 ms apart: falling back to the defaults beats
    // `listen` refusing an --average-window nobody gave.
    #expect(
      OperatingPoint(
        jsonString: #"{"averageWindowMs":10,"minimumCount":3,"suppressionMs":1500,"threshold":0.7}"#
      ) == nil)
    #expect(
      OperatingPoint(
        jsonString: #"{"averageWindowMs":60,"minimumCount":3,"suppressionMs":1500,"threshold":0.7}"#
      )?.averageWindowMs == 60)
    options = SlidingWindowDetector.Options()
    options.maximumBatch = 0
    #expect(throws: SettingError("maximumBatch", "must be at least 1")) {
      try SlidingWindowDetector(classifier: SyntheticFixture.classifier, options: options)
    }
  }

  /// Signed 16-bit little-endian bytes of `samples × scale`, clipped.
  static func pcm(_ samples: [Float], scale: Float) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(samples.count * 2)
    for v in samples {
      let s = UInt16(bitPattern: Int16(max(-32768, min(32767, (v * scale).rounded()))))
      bytes += [UInt8(s & 0xff), UInt8(s >> 8)]
    }
    return bytes
  }
}

/// `listen` scores one view per window, the views taking turns: window n is scored as a model
/// holding view n mod 5 alone scores it.
@Suite struct StreamViewTests {
  @Test func windowsTakeTheViewsInTurn() throws {
    let model = SyntheticFixture.model
    let config = try FrontEndConfig(jsonString: model.metadata.featureConfig)
    let shifts = try #require(config.viewShifts)
    #expect(shifts.count == 5)
    let audio = Array(ListenTests.quantised.prefix(8000 * 4))
    let turns = StreamScores(classifier: SyntheticFixture.classifier, audio: audio)
    let labels = turns.labels.count
    #expect(turns.windowStarts.count > 20)
    for (v, shift) in shifts.enumerated() {
      var single = config
      single.viewShifts = [shift]
      var copy = model
      copy.metadata.featureConfig = try single.jsonString()
      let alone = StreamScores(classifier: try Classifier(model: copy), audio: audio)
      #expect(alone.windowStarts == turns.windowStarts)
      for n in stride(from: v, to: turns.windowStarts.count, by: shifts.count) {
        let a = turns.rows[(n * labels)..<((n + 1) * labels)]
        let b = alone.rows[(n * labels)..<((n + 1) * labels)]
        #expect(zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }, "window \(n), view \(v)")
      }
    }
  }
}
