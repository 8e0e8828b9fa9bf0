import Foundation
import Testing

/// A model file written by an earlier build (the synthetic-voice demo model shipped before the
/// real-speech one, kept as `Resources/legacy-model.safetensors`) still loads and classifies the
/// synthetic sample clips exactly as that build did (labels and every printed score of all 12
/// labels); the shipped real-speech model recognises the real clips of unseen speakers.
@Suite struct ShippedModelTests {
  typealias F = RecognitionFixture

  /// The repository root (this file is Tests/speechcmdTests/ShippedModelTests.swift).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  /// Every output format of `classify`, byte for byte as the earlier build printed it.
  @Test(arguments: [
    ("jsonl", ["--format", "jsonl", "--top-k", "12"]), ("csv", ["--format", "csv"]),
    ("table", ["--format", "table"]),
  ])
  func classifiesTheShippedClipsAsRecordedBeforeTheReorganisation(
    format: String, options: [String]
  ) throws {
    let url = try #require(
      Bundle.module.url(forResource: "shipped-model-classify", withExtension: format))
    let recorded = try String(contentsOf: url, encoding: .utf8)
    let samples = Self.root + "/samples"
    let legacy = try #require(
      Bundle.module.url(forResource: "legacy-model", withExtension: "safetensors"))
    let run = F.run(["classify", "--model", legacy.path] + options + [samples + "/clips"])
    #expect(run.status == 0)
    #expect(F.lines(run.output).count >= 33)
    #expect(run.output.replacingOccurrences(of: Self.root + "/", with: "") == recorded)
  }

  /// The shipped model on the 36 real clips of speakers it never heard (samples/real, labelled by
  /// folder), best label of each (`--threshold 0`: no rejection): at least 27 right (75%, the
  /// issue's bar for unseen real speakers; it gets 31). It reached 82.6% on the 622 clips of all
  /// such speakers in the corpus; 36 clips leave room for a few more misses, not for a model that
  /// does not know real voices (the synthetic one got 43%).
  @Test func theShippedModelRecognisesRealVoicesItNeverHeard() throws {
    let real = Self.root + "/samples/real"
    let run = F.run([
      "classify", "--model", Self.root + "/samples/model.safetensors", "--threshold", "0",
      "--format", "csv", real,
    ])
    #expect(run.status == 0, "\(run.errors)")
    let rows = F.lines(run.output).dropFirst().map { $0.split(separator: ",").map(String.init) }
    #expect(rows.count == 36)
    let right = rows.filter { row in
      row.count >= 2 && row[0].replacingOccurrences(of: real + "/", with: "").hasPrefix(row[1] + "/")
    }
    #expect(right.count >= 27, "\(right.count) of \(rows.count) right")
  }
}
