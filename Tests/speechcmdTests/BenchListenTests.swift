import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

/// `speechcmd bench listen` on a manifest of synthetic words the fixture's model knows.
@Suite struct BenchListenTests {
  typealias F = RecognitionFixture

  /// A manifest whose `test` rows are 4 takes of each word, 4 non-command takes (`_unknown_`:
  /// noise bursts the model calls unknown) and 6 background clips, plus one noise file.
  static let manifest: String = {
    var rng = SeededGenerator(seed: 9)
    let folder = F.folder + "/bench-listen"
    try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var rows = ["path,label,split"]
    func add(_ label: String, _ index: Int, _ samples: [Float], split: String = "test") {
      let name = "\(label)-\(index).wav"
      try! AudioFile.write(samples, sampleRate: 8000, to: folder + "/" + name)
      rows.append("\(name),\(label),\(split)")
    }
    for word in SyntheticWords.words {
      for i in 0..<4 { add(word, i, SyntheticWords.clip(word, sampleRate: 8000, using: &rng)) }
      add(word, 9, SyntheticWords.clip(word, sampleRate: 8000, using: &rng), split: "train")
    }
    for i in 0..<4 {
      add(unknownLabel, i, SyntheticWords.clip(unknownLabel, sampleRate: 8000, using: &rng))
    }
    for i in 0..<6 {
      add(silenceLabel, i, SyntheticWords.clip(silenceLabel, sampleRate: 8000, using: &rng))
    }
    add(
      "_background_noise_", 0, SyntheticWords.noise(count: 24000, level: 0.01, using: &rng),
      split: "")
    try! (rows.joined(separator: "\n") + "\n").write(
      toFile: folder + "/data.csv", atomically: false, encoding: .utf8)
    return folder + "/data.csv"
  }()

  @Test func sweepsThresholdsAndWritesTheReportAndTheCurve() throws {
    let out = try TemporaryFolder("speechcmd-bench-listen")
    let run = F.run([
      "bench", "listen", "-m", F.model, "--manifest", Self.manifest, "--words", "9",
      "--non-command-words", "4", "--thresholds", "0.5,0.9,1", "--out", out.path,
    ])
    #expect(run.status == 0, "\(run.errors)")
    let lines = F.lines(run.output)
    #expect(
      lines.contains { $0.hasPrefix("streams: 9 command words (29 s), 4 non-command words (14 s)") }
    )
    // 2 background clips, then (word + 2 background clips) × 9: 29 s; (2 + 4 × 3) s of negatives.
    // The default threshold (0.7, the model has no operating point) is added to the sweep.
    let rows = lines.filter {
      $0.range(of: #"^[ *]\s+\d\.\d\d "#, options: .regularExpression) != nil
    }
    #expect(rows.count == 4)
    #expect(rows.first { $0.hasPrefix("*") }?.contains("0.70") == true)
    let report = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: out.file("listen-bench.json"))))
        as? [String: Any])
    let points = try #require(report["points"] as? [[String: Any]])
    #expect(points.map { $0["threshold"] as? Double } == [0.5, 0.7, 0.9, 1])
    // Nothing exceeds a threshold of 1: every word missed, no false accept anywhere.
    #expect(points[3]["missRate"] as? Double == 1 && points[3]["falseAccepts"] as? Int == 0)
    #expect(points[3]["noiseFalseAcceptsPerHour"] as? Double == 0)
    #expect((points[1]["right"] as? Double ?? 0) > 0.5)
    let svg = try String(contentsOfFile: out.file("det.svg"), encoding: .utf8)
    #expect(svg.hasPrefix("<?xml") && svg.contains("miss rate (%)") && svg.hasSuffix("</svg>\n"))
  }

  /// listen's settings override the model's (here listen's defaults) as they do for listen:
  /// reported back, and used: 2,000 results in the averaging window (a minute of windows) are
  /// never gathered in a 29 s stream, so no word is found at any threshold.
  @Test func listensSettingsReachTheDetector() throws {
    func run(_ settings: [String]) throws -> [String: Any] {
      let run = F.run(
        [
          "bench", "listen", "-m", F.model, "--manifest", Self.manifest, "--words", "9",
          "--non-command-words", "4", "--thresholds", "0.5,0.9", "--no-noise", "--format", "json",
        ] + settings)
      #expect(run.status == 0, "\(run.errors)")
      return try #require(
        try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    }
    let given = try run([
      "--average-window", "60", "--minimum-count", "2000", "--suppression", "1", "--threshold",
      "0.6",
    ])
    #expect(given["averageWindowMs"] as? Int == 60_000 && given["minimumCount"] as? Int == 2000)
    #expect(given["suppressionMs"] as? Int == 1000 && given["defaultThreshold"] as? Double == 0.6)
    let points = try #require(given["points"] as? [[String: Any]])
    #expect(points.count == 3 && points.allSatisfy { $0["matched"] as? Double == 0 })
    let defaults = try run([])
    #expect(defaults["averageWindowMs"] as? Int == 500 && defaults["minimumCount"] as? Int == 3)
    let found = (defaults["points"] as? [[String: Any]] ?? []).map { $0["right"] as? Double ?? 0 }
    #expect(found.contains { $0 > 0.5 }, "the same streams at listen's defaults: \(found)")

    let text = F.run([
      "bench", "listen", "-m", F.model, "--manifest", Self.manifest, "--words", "9",
      "--non-command-words", "4", "--thresholds", "0.5", "--no-noise", "--threshold", "0.6",
    ])
    #expect(F.lines(text.output).contains { $0.hasSuffix("default threshold 0.60 (--threshold)") })
  }

  /// The `train` rows hold words but no non-command clip: the figures still come, with a note
  /// that the negative stream measured nothing about unknown words.
  @Test func aSplitWithoutNonCommandWordsIsSaid() {
    let run = F.run([
      "bench", "listen", "-m", F.model, "--manifest", Self.manifest, "--split", "train",
      "--words", "3", "--no-noise",
    ])
    #expect(run.status == 0, "\(run.errors)")
    #expect(run.errors.contains("the train split holds no non-command clip"), "\(run.errors)")
  }

  @Test func aSplitWithoutCommandWordsIsAOneLineError() {
    let run = F.run([
      "bench", "listen", "-m", F.model, "--manifest", Self.manifest, "--split", "validation",
    ])
    #expect(run.status == 1)
    #expect(run.errors.contains("the validation split of '\(Self.manifest)' holds no clip"))
  }

  @Test(arguments: [
    ["bench", "listen"], ["bench", "listen", "--thresholds", "0.5,x", "d"],
    ["bench", "listen", "--split", "dev2", "d"], ["bench", "listen", "--words", "0", "d"],
    ["bench", "listen", "--average-window", "0", "d"], ["bench", "listen", "--stride", "0", "d"],
    ["bench", "listen", "--words", "3000", "--gap-clips", "100", "d"],
    ["bench", "listen", "--out", "", "d"], ["bench", "listen", "--out", "/dev/null", "d"],
    ["bench", "classify", "--listen-seconds", "inf", "d"],
    ["bench", "classify", "--listen-seconds", "1e15", "d"],
    ["bench", "summary", "--listen-seconds", "inf", "d"],
    ["bench", "summary", "--train-threads", "100000", "d"],
  ])
  func usageErrorsExit64(arguments: [String]) {
    #expect(F.run(arguments).status == 64)
  }
}
