import Foundation
import SpeechAudio
import SpeechTestSupport
import Testing

/// `AudioFile.read(bytes:name:)` decodes bytes in memory exactly as `read(at:)` decodes the same
/// bytes from disk, and fails with the same errors, naming the given name.
@Suite struct MemoryDecodeTests {
  /// Writes `samples` in `format` and returns the path and the file's bytes.
  func encoded(
    _ samples: [Float], rate: Int, format: AudioWriteFormat, channels: Int = 1,
    in folder: TemporaryFolder
  ) throws -> (path: String, bytes: [UInt8]) {
    let path = folder.file("source")
    try AudioFile.write(samples, sampleRate: rate, to: path, format: format, channels: channels)
    return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
  }

  @Test(arguments: [AudioWriteFormat.wav16, .wavFloat, .flac24, .oggVorbis, .aiff16])
  func decodesLikeTheFile(format: AudioWriteFormat) throws {
    let folder = try TemporaryFolder()
    // Stereo at 22.05 kHz, so downmixing and resampling run too.
    let left = Signal.sine(frequency: 440, rate: 22050, count: 30000)
    let right = Signal.sine(frequency: 1000, rate: 22050, count: 30000, amplitude: 0.2)
    let interleaved = zip(left, right).flatMap { [$0, $1] }
    let (path, bytes) = try encoded(
      interleaved, rate: 22050, format: format, channels: 2, in: folder)
    let fromFile = try AudioFile.read(at: path)
    let fromMemory = try AudioFile.read(bytes: bytes, name: "upload")
    #expect(fromMemory == fromFile)
    #expect(abs(fromMemory.count - 30000 * 16000 / 22050) <= 1)
  }

  @Test func badBytesFailAsTheFileDoesNamingTheName() throws {
    let folder = try TemporaryFolder()
    let (_, wav) = try encoded(
      Signal.sine(frequency: 500, rate: 16000, count: 1600), rate: 16000, format: .wav16,
      in: folder)
    #expect(throws: AudioError.empty(path: "upload")) {
      try AudioFile.read(bytes: [], name: "upload")
    }
    #expect(throws: AudioError.zeroFrames(path: "upload")) {
      try AudioFile.read(bytes: Array(wav.prefix(44)), name: "upload")
    }
    for (bytes, file) in [(Array("not a sound\n".utf8), "text"), (Array(wav.prefix(20)), "cut")] {
      let path = folder.file(file)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      var fileError: AudioError?
      do { _ = try AudioFile.read(at: path) } catch { fileError = error }
      var memoryError: AudioError?
      do { _ = try AudioFile.read(bytes: bytes, name: path) } catch { memoryError = error }
      #expect(memoryError != nil)
      #expect(memoryError == fileError)
    }
  }

  /// Every input the fuzzer once flagged (Resources/fuzz) fails with a typed error, from memory
  /// and from disk alike.
  @Test func fuzzFindingsAreRejectedCleanly() throws {
    let folder = try #require(Bundle.module.url(forResource: "Resources/fuzz", withExtension: nil))
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(!names.isEmpty)
    for name in names {
      let path = folder.appendingPathComponent(name).path
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
      var fileError: AudioError?
      do { _ = try AudioFile.read(at: path) } catch { fileError = error }
      var memoryError: AudioError?
      do { _ = try AudioFile.read(bytes: bytes, name: path) } catch { memoryError = error }
      #expect(fileError != nil, "\(name)")
      #expect(memoryError == fileError, "\(name)")
    }
  }
}
