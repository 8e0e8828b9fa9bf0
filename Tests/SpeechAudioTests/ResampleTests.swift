import Foundation
import SpeechAudio
import SpeechTestSupport
import Testing

/// Sample-rate conversion keeps pitch and duration; streaming and whole-signal conversion agree.
@Suite struct ResampleTests {
  /// Candidate frequencies for the peak search: 125 Hz steps across the 16 kHz band (the bins of
  /// a 0.5 s signal are 2 Hz wide, so each candidate away from 1 kHz sees only leakage).
  static let candidates = stride(from: 125.0, through: 7875, by: 125).map { $0 }

  @Test(arguments: [8000, 22050, 44100, 48000], ResampleQuality.allCases)
  func sineLandsAtOneKilohertz(rate: Int, quality: ResampleQuality) throws {
    let directory = try TemporaryFolder()
    let path = directory.file("sine-\(rate).wav")
    let seconds = 0.5
    try AudioFile.write(
      Signal.sine(frequency: 1000, rate: rate, count: Int(seconds * Double(rate))),
      sampleRate: rate, to: path)

    let resampled = try AudioFile.read(at: path, sampleRate: 16000, quality: quality)
    #expect(abs(resampled.count - Int(seconds * 16000)) <= 2)
    #expect(Signal.peak(resampled, rate: 16000, candidates: Self.candidates) == 1000)
    // Two zero crossings per cycle: 1000 cycles/s × 0.5 s; edges may lose one or two.
    #expect(abs(Signal.zeroCrossings(resampled) - 1000) <= 3)
  }

  @Test(
    arguments: [(8000, 16000), (44100, 16000), (16000, 22050), (48000, 8000)],
    ResampleQuality.allCases)
  func resamplerKeepsDurationAndPitch(rates: (from: Int, to: Int), quality: ResampleQuality) throws
  {
    let (from, to) = rates
    let x = Signal.sine(frequency: 1000, rate: from, count: from)
    let y = try Resampler.resample(x, from: from, to: to, quality: quality)
    #expect(abs(y.count - to) <= 2)
    // Compare the middle against an ideal sine at the new rate (edges carry filter transients).
    let ideal = Signal.sine(frequency: 1000, rate: to, count: y.count)
    let middle = (y.count / 4)..<(3 * y.count / 4)
    #expect(Signal.maxDifference(Array(y[middle]), Array(ideal[middle])) < 0.01)
  }

  @Test func equalRatesPassThrough() throws {
    let x: [Float] = [0.1, -0.2, 0.3]
    #expect(try Resampler.resample(x, from: 16000, to: 16000) == x)
    #expect(try StreamingResampler(from: 8000, to: 8000).process(x, isLast: false) == x)
  }

  @Test func invalidRatesThrow() {
    #expect(throws: AudioError.self) { try Resampler.resample([0], from: 0, to: 16000) }
    #expect(throws: AudioError.self) { try Resampler.resample([0], from: 16000, to: -1) }
    #expect(throws: AudioError.self) { try StreamingResampler(from: 1, to: 16000) }
  }

  @Test(arguments: [1, 100, 1024, 4999], [ResampleQuality.medium, .polyphase])
  func streamingMatchesWholeSignal(chunk: Int, quality: ResampleQuality) throws {
    let x = Signal.sine(frequency: 700, rate: 44100, count: 22050)
      .enumerated().map { $1 + 0.1 * Float(sin(Double($0) * 0.37)) }
    let whole = try Resampler.resample(x, from: 44100, to: 16000, quality: quality)
    let streamer = try StreamingResampler(from: 44100, to: 16000, quality: quality)
    #expect(streamer.quality == quality)
    var streamed: [Float] = []
    var start = 0
    while start < x.count {
      let end = min(start + chunk, x.count)
      streamed += try streamer.process(Array(x[start..<end]), isLast: false)
      start = end
    }
    streamed += try streamer.process([], isLast: true)
    try #require(streamed.count == whole.count)
    #expect(Signal.maxDifference(streamed, whole) < 1e-5)

    // After the last block the converter starts afresh.
    #expect(try streamer.process(x, isLast: true) == whole)
  }

  /// `resample_poly.json` holds scipy's `resample_poly` output for the signal below (see
  /// Resources/README.md).
  struct Reference: Decodable {
    struct Case: Decodable {
      let from: Int
      let to: Int
      let count: Int
      let output: [Double]
    }
    let cases: [Case]
  }

  @Test func polyphaseMatchesScipyResamplePoly() throws {
    let url = try #require(
      Bundle.module.url(forResource: "Resources/resample_poly", withExtension: "json"))
    let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    #expect(reference.cases.count == 5)
    for item in reference.cases {
      let x = (0..<item.count).map { n -> Float in
        let t = Double(n)
        let chirp = (0.002 * t * t).truncatingRemainder(dividingBy: 2 * Double.pi)
        return Float(0.5 * sin(0.3 * t) + 0.3 * cos(chirp))
      }
      let y = try Resampler.resample(x, from: item.from, to: item.to, quality: .polyphase)
      try #require(y.count == item.output.count, "\(item.from) → \(item.to) Hz")
      let worst = zip(y, item.output).map { abs(Double($0) - $1) }.max() ?? 0
      #expect(worst < 1e-5, "\(item.from) → \(item.to) Hz: largest difference \(worst)")
    }
  }

  @Test func polyphaseFallsBackToSincForIrregularRatios() throws {
    #expect(try StreamingResampler(from: 44101, to: 16000, quality: .polyphase).quality == .medium)
    #expect(
      try StreamingResampler(from: 8000, to: 16000, quality: .polyphase).quality == .polyphase)
    #expect(try StreamingResampler(from: 8000, to: 16000, quality: .best).quality == .best)
  }
}
