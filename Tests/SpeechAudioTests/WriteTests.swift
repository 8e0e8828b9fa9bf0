import Foundation
import SpeechAudio
import SpeechTestSupport
import Testing

/// The writer replaces files atomically and refuses what it cannot store.
@Suite struct WriteTests {
  @Test func overwritesAtomicallyAndLeavesNoTemporaryFiles() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("out.wav")
    try AudioFile.write([0.5, 0.5], sampleRate: 8000, to: path)
    try AudioFile.write([0.25, -0.25, 0.25], sampleRate: 16000, to: path)
    #expect(try AudioFile.info(at: path).frames == 3)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
    #expect(names == ["out.wav"])
  }

  @Test func sixteenBitSamplesRoundToTheNearestStep() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("steps.wav")
    let samples: [Float] = [0, 0.5, -0.5, 1, -1, 1000.0 / 32768]
    try AudioFile.write(samples, sampleRate: 16000, to: path)
    let decoded = try AudioFile.read(at: path)
    #expect(Signal.maxDifference(decoded, samples) <= 1.0 / 32768)
  }

  @Test func failuresLeaveNothingBehind() throws {
    let directory = try TemporaryFolder()
    let missingDirectory = directory.file("no/such/dir/out.wav")
    #expect(throws: AudioError.self) {
      try AudioFile.write([0], sampleRate: 16000, to: missingDirectory)
    }
    let path = directory.file("nan.wav")
    do {
      try AudioFile.write([0, .nan], sampleRate: 16000, to: path)
      Issue.record("a NaN was written to 16-bit PCM")
    } catch {
      guard case .unwritable(let errorPath, _) = error else { Issue.record("got \(error)"); return }
      #expect(errorPath == path)
    }
    #expect(throws: AudioError.self) {
      try AudioFile.write([0, 0, 0], sampleRate: 16000, to: path, channels: 2)
    }
    #expect(throws: AudioError.self) { try AudioFile.write([0], sampleRate: 0, to: path) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
  }
}
