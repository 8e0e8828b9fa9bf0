import Foundation
import SpeechAudio
import SpeechFeatures
import SpeechTestSupport
import Testing

@testable import SpeechBench

/// The benchmark's plumbing on a tiny folder (the figures themselves are not tested).
@Suite struct FeatureBenchmarkTests {
  @Test func fitPadsAndCrops() {
    #expect(FeatureBenchmark.fit([1, 2, 3], length: 5) == [1, 2, 3, 0, 0])
    #expect(FeatureBenchmark.fit([1, 2, 3], length: 2) == [1, 2])
  }

  @Test func measuresTheReadableClipsOfAFolder() throws {
    let temporary = try TemporaryFolder("speechcmd-bench")
    let dir = temporary.url
    let tone = (0..<12000).map { Float(sin(Double($0) * 0.3)) * 0.3 }
    try AudioFile.write(tone, sampleRate: 8000, to: dir.appendingPathComponent("a.wav").path)
    try AudioFile.write(
      tone, sampleRate: 16000, to: dir.appendingPathComponent("b.flac").path, format: .flac16)
    try Data("not audio".utf8).write(to: dir.appendingPathComponent("c.wav"))
    try Data("ignored".utf8).write(to: dir.appendingPathComponent("notes.txt"))

    var warnings: [String] = []
    let r = try FeatureBenchmark.run(
      directory: dir.path, repeats: 1, warn: { warnings.append($0) })
    #expect(r.clips == 2)
    #expect(warnings.count == 1 && warnings[0].contains("c.wav"))
    #expect(
      r.mfccClipsPerSecond > 0 && r.psfPresetClipsPerSecond > 0 && r.fftFloorClipsPerSecond > 0)
    #expect(Set(r.endToEndClipsPerSecond.keys) == ["1", "2"])

    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(r)) as? [String: Any]
    #expect(
      Set(json?.keys.map { $0 } ?? []) == [
        "clips", "mfccClipsPerSecond", "psfPresetClipsPerSecond", "fftFloorClipsPerSecond",
        "endToEndClipsPerSecond",
      ])
  }

  @Test func rejectsMissingAndEmptyFolders() throws {
    #expect(throws: BenchmarkError.notAFolder(path: "/no/such/dir")) {
      try FeatureBenchmark.run(directory: "/no/such/dir")
    }
    let temporary = try TemporaryFolder("speechcmd-bench")
    let dir = temporary.url
    #expect(throws: BenchmarkError.noAudio(folder: dir.path)) {
      try FeatureBenchmark.run(directory: dir.path)
    }
  }
}
