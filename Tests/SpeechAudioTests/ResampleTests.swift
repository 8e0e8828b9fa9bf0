import Foundation
import SpeechAudio
import Testing

/// Sample-rate conversion keeps pitch and duration; streaming and whole-signal conversion agree.
@Suite struct ResampleTests {
  /// Candidate frequencies for the peak search: 50 Hz steps across the 16 kHz band.
  static let candidates = stride(from: 100.0, through: 7900, by: 50).map { $0 }

  @Test(arguments: [8000, 22050, 44100, 48000])
  func sineLandsAtOneKilohertz(rate: Int) throws {
    let directory = try TemporaryDirectory()
    let path = directory.path("sine-\(rate).wav")
    let seconds = 0.5
    try AudioFile.write(
      Signal.sine(frequency: 1000, rate: rate, count: Int(seconds * Double(rate))),
      sampleRate: rate, to: path)

    let resampled = try AudioFile.read(at: path, sampleRate: 16000)
    #expect(abs(resampled.count - Int(seconds * 16000)) <= 2)
    #expect(Signal.peak(resampled, rate: 16000, candidates: Self.candidates) == 1000)
    // Two zero crossings per cycle: 1000 cycles/s × 0.5 s; edges may lose one or two.
    #expect(abs(Signal.zeroCrossings(resampled) - 1000) <= 3)
  }

  @Test(arguments: [(8000, 16000), (44100, 16000), (16000, 22050), (48000, 8000)])
  func resamplerKeepsDurationAndPitch(from: Int, to: Int) throws {
    let x = Signal.sine(frequency: 1000, rate: from, count: from)
    let y = try Resampler.resample(x, from: from, to: to)
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

  @Test(arguments: [1, 100, 1024, 4999])
  func streamingMatchesWholeSignal(chunk: Int) throws {
    let x = Signal.sine(frequency: 700, rate: 44100, count: 22050)
      .enumerated().map { $1 + 0.1 * Float(sin(Double($0) * 0.37)) }
    let whole = try Resampler.resample(x, from: 44100, to: 16000)
    let streamer = try StreamingResampler(from: 44100, to: 16000)
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
}
