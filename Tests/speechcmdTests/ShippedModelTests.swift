import Foundation
import Testing

/// The shipped model file, written by an earlier build, still loads and classifies the shipped
/// clips exactly as that build did (labels and every printed score of all 12 labels).
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
    let run = F.run(
      ["classify", "--model", samples + "/model.safetensors"] + options + [samples + "/clips"])
    #expect(run.status == 0)
    #expect(F.lines(run.output).count >= 33)
    #expect(run.output.replacingOccurrences(of: Self.root + "/", with: "") == recorded)
  }
}
