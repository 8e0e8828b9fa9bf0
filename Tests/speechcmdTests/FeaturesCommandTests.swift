import Foundation
import SpeechAudio
import SpeechBench
import SpeechFeatures
import Testing

@testable import speechcmd

/// `speechcmd features` and `speechcmd bench features`, in process.
@Suite struct FeaturesCommandTests {
  /// A 1 s, 16 kHz tone written to a temporary WAV.
  static func toneFile() throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("speechcmd-features-\(UUID().uuidString).wav").path
    let tone = (0..<16000).map { Float(sin(Double($0) * 0.25)) * 0.4 }
    try AudioFile.write(tone, sampleRate: 16000, to: path)
    return path
  }

  @Test func jsonHasTheDocumentedShape() throws {
    let path = try Self.toneFile()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let command = try #require(
      try SpeechCmd.parseAsRoot(["features", path, "--format", "json"]) as? SpeechCmd.Features)
    let lines = try command.render()
    #expect(lines.count == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(object["file"] as? String == path)
    #expect(object["sampleRate"] as? Int == 16000)
    #expect(object["preset"] as? String == "training")
    // The training preset: 40 ms frames every 20 ms (49 per second), 10 coefficients + deltas.
    #expect(object["frames"] as? Int == 49)
    #expect(object["coefficients"] as? Int == 20)
    let data = try #require(object["data"] as? [[Double]])
    #expect(data.count == 49 && data.allSatisfy { $0.count == 20 })
  }

  @Test func textAndCSVHaveOneLinePerFrame() throws {
    let path = try Self.toneFile()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let text = try #require(
      try SpeechCmd.parseAsRoot(["features", path, "--preset", "psf"]) as? SpeechCmd.Features)
    let lines = try text.render()
    #expect(lines.count == 99)
    #expect(lines[0].split(separator: " ").count == 13)
    let csv = try #require(
      try SpeechCmd.parseAsRoot(["features", path, "--preset", "librosa", "--format", "csv"])
        as? SpeechCmd.Features)
    let rows = try csv.render()
    #expect(rows.count == 102)
    #expect(rows[0] == (0..<13).map { "c\($0)" }.joined(separator: ","))
  }

  @Test func badInputsAreReported() throws {
    #expect(throws: (any Error).self) {
      try SpeechCmd.parseAsRoot(["features", "x.wav", "--preset", "nope"])
    }
    let command = try #require(
      try SpeechCmd.parseAsRoot(["features", "/no/such.wav"]) as? SpeechCmd.Features)
    #expect(throws: AudioError.self) { try command.render() }
  }

  @Test func benchReportLists() throws {
    #expect(throws: (any Error).self) {
      try SpeechCmd.parseAsRoot(["bench", "features", "d", "--limit", "0"])
    }
    let r = FeatureBenchmarkResult(
      clips: 3, mfccClipsPerSecond: 9000, psfPresetClipsPerSecond: 8000,
      fftFloorClipsPerSecond: 20000, endToEndClipsPerSecond: ["1": 800, "2": 1500])
    let json = SpeechCmd.Bench.Features.lines(r, format: .json)
    #expect(
      json == [
        #"{"clips":3,"endToEndClipsPerSecond":{"1":800,"2":1500},"fftFloorClipsPerSecond":20000,"mfccClipsPerSecond":9000,"psfPresetClipsPerSecond":8000}"#
      ])
    let text = SpeechCmd.Bench.Features.lines(r, format: .text)
    #expect(text.contains { $0.contains("9000 clips/s") })
    #expect(text.contains { $0.contains("2 thread(s): 1500 clips/s") })
  }
}
