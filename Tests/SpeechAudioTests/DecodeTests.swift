import Foundation
import SpeechAudio
import SpeechTestSupport
import Testing

/// Every format the writer makes, decoded back at its own rate: header fields and samples.
@Suite struct DecodeTests {
  static let rates = [8000, 16000, 22050, 44100, 48000]

  /// Largest acceptable RMS error after a round trip, by encoding: half a quantisation step
  /// (well under one) for PCM, and a loose bound for lossy Vorbis.
  static func tolerance(_ format: AudioWriteFormat) -> Double {
    switch format {
    case .wavU8: return 1.0 / 128
    case .oggVorbis: return 0.02
    default: return 1e-4
    }
  }

  @Test(arguments: AudioWriteFormat.all, rates)
  func roundTrip(format: AudioWriteFormat, rate: Int) throws {
    let directory = try TemporaryFolder()
    let path = directory.file("tone")
    let original = Signal.sine(frequency: 440, rate: rate, count: rate / 4)
    try AudioFile.write(original, sampleRate: rate, to: path, format: format)

    let info = try AudioFile.info(at: path)
    #expect(info.format == format.format)
    #expect(info.subtype == format.subtype)
    #expect(info.channels == 1)
    #expect(info.sampleRate == rate)
    #expect(info.frames == Int64(original.count))
    #expect(abs(info.duration - 0.25) < 1e-3)

    let decoded = try AudioFile.read(at: path, sampleRate: rate)
    try #require(decoded.count == original.count)
    #expect(Signal.rmsDifference(decoded, original) < Self.tolerance(format))
    #expect(decoded.allSatisfy { (-1...1).contains($0) })
  }

  @Test func formatNamesAreLibsndfiles() {
    #expect(AudioWriteFormat.wav16.description == "WAV PCM_16")
    #expect(AudioWriteFormat.wavFloat.description == "WAV FLOAT")
    #expect(AudioWriteFormat.flac24.description == "FLAC PCM_24")
    #expect(AudioWriteFormat.oggVorbis.description == "OGG VORBIS")
    #expect(AudioWriteFormat.aiff16.description == "AIFF PCM_16")
    #expect(AudioWriteFormat.wavU8.description == "WAV PCM_U8")
  }

  @Test func stereoIsAveraged() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("stereo.wav")
    let left = Signal.sine(frequency: 300, rate: 16000, count: 4000, amplitude: 0.6)
    let right = (0..<4000).map { Float($0 % 100) / 400 - 0.1 }
    let interleaved = zip(left, right).flatMap { [$0, $1] }
    try AudioFile.write(interleaved, sampleRate: 16000, to: path, format: .wavFloat, channels: 2)
    #expect(try AudioFile.info(at: path).channels == 2)

    let mono = try AudioFile.read(at: path, sampleRate: 16000)
    let expected = zip(left, right).map { ($0 + $1) / 2 }
    try #require(mono.count == expected.count)
    #expect(Signal.maxDifference(mono, expected) < 1e-6)
  }

  @Test func threeChannelsAreAveraged() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("three.wav")
    // Frames (0.3, -0.6, 0.9) → 0.2 and (0.9, 0.0, 0.0) → 0.3, repeated.
    let frames: [[Float]] = [[0.3, -0.6, 0.9], [0.9, 0, 0]]
    let interleaved = (0..<5000).flatMap { frames[$0 % 2] }
    try AudioFile.write(interleaved, sampleRate: 8000, to: path, format: .wav24, channels: 3)
    let mono = try AudioFile.read(at: path, sampleRate: 8000)
    try #require(mono.count == 5000)
    for (index, sample) in mono.enumerated() {
      #expect(abs(sample - (index % 2 == 0 ? 0.2 : 0.3)) < 1e-5)
    }
  }

  @Test func floatBeyondFullScaleIsClamped() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("loud.wav")
    try AudioFile.write([1.5, -2, 0.25, 0.5], sampleRate: 16000, to: path, format: .wavFloat)
    #expect(try AudioFile.read(at: path) == [1, -1, 0.25, 0.5])
  }

  @Test func headerOnlyFileHasZeroFramesInInfo() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("silence.wav")
    try AudioFile.write([], sampleRate: 16000, to: path)
    let info = try AudioFile.info(at: path)
    #expect(info.frames == 0)
    #expect(info.duration == 0)
  }
}
