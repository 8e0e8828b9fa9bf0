import Foundation
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

@testable import speechcmd

@Suite struct ListenCommandTests {
  typealias F = RecognitionFixture

  @Test func detectionsAreScoredAgainstTheTruth() throws {
    let (wav, truth) = F.stream
    let result = F.run(["listen", "-m", F.model, "--truth", truth, wav])
    #expect(result.status == 0, "\(result.errors)")
    let lines = F.lines(result.output)
    #expect(
      lines.last
        == "# 100.0% matched, 100.0% correctly, 0.0% wrongly, 0.0% false positives (6 words, tolerance 750 ms)"
    )
    // Every detection line reads `TIME  WORD  SCORE`.
    for line in lines.dropLast() {
      let parts = line.components(separatedBy: "  ")
      #expect(
        parts.count == 3 && Double(parts[0]) != nil && SyntheticWords.words.contains(parts[1]))
    }
  }

  @Test func jsonLinesFormat() throws {
    let result = F.run([
      "listen", "-m", F.model, "--format", "jsonl", "--truth", F.stream.truth, F.stream.wav,
    ])
    let objects = F.lines(result.output).map(F.json)
    #expect(objects.count == 7)
    #expect(
      objects.dropLast().allSatisfy {
        $0["time"] is Double && $0["label"] is String && $0["score"] is Double
      })
    #expect(objects.last?["correct"] as? Double == 100)
  }

  @Test(arguments: [
    ["listen"], ["listen", "--stride", "0", "a.wav"], ["listen", "--threshold", "1.5", "a.wav"],
    ["listen", "--rate", "0", "-"], ["listen", "--minimum-count", "0", "a.wav"],
    ["listen", "--rate", "1", "-"], ["listen", "--rate", "2000000", "-"],
    ["listen", "--rate", "8000", "a.wav"],
  ])
  func usageErrorsExit64(arguments: [String]) {
    #expect(F.run(arguments).status == 64)
  }

  /// The fixture's model with an operating point whose threshold no average can exceed.
  static let deafModel: String = {
    let path = F.folder + "/deaf.safetensors"
    do {
      var model = try ModelFile.load(at: F.model)
      model.metadata.operatingPoint = try OperatingPoint(threshold: 1).jsonString()
      try model.save(to: path)
    } catch { fatalError("\(error)") }
    return path
  }()

  @Test func theModelsOperatingPointIsTheDefaultAndFlagsOverrideIt() throws {
    let (wav, truth) = F.stream
    let deaf = F.run(["listen", "-m", Self.deafModel, "--truth", truth, wav])
    #expect(deaf.status == 0, "\(deaf.errors)")
    #expect(F.lines(deaf.output).count == 1)
    #expect(F.lines(deaf.output).last?.hasPrefix("# 0.0% matched") == true)
    let overridden = F.run([
      "listen", "-m", Self.deafModel, "--threshold", "0.7", "--truth", truth, wav,
    ])
    #expect(
      F.lines(overridden.output).last?.hasPrefix("# 100.0% matched, 100.0% correctly") == true)
  }

  /// A clip too short for the detector to decide anything prints no detection, and says why
  /// instead of looking like a recording without words.
  @Test func aTooShortRecordingIsSaid() throws {
    let result = F.run(["listen", "-m", F.model, F.clips[0]])
    #expect(result.status == 0, "\(result.errors)")
    #expect(F.lines(result.output).isEmpty)
    let warning = F.lines(result.errors).first ?? ""
    #expect(
      warning.hasPrefix("speechcmd: warning: '\(F.clips[0])' holds ")
        && warning.contains("listen decides on 3 windows and needs at least")
        && warning.hasSuffix("(for one clip, use classify)"), "\(warning)")
    // The stream of six words is long enough: no such warning.
    #expect(F.run(["listen", "-m", F.model, F.stream.wav]).errors.isEmpty)
  }

  @Test func aBadTruthFileIsAnError() throws {
    let bad = F.folder + "/bad-\(UUID().uuidString).csv"
    try "yes;1\n".write(toFile: bad, atomically: false, encoding: .utf8)
    let result = F.run(["listen", "-m", F.model, "--truth", bad, F.stream.wav])
    #expect(result.status == 1 && result.errors.contains(bad))
    // A time past the latest a truth file may hold (it crashed the scoring, after listening).
    try "label,time_seconds\nyes,1e300\n".write(toFile: bad, atomically: false, encoding: .utf8)
    let late = F.run(["listen", "-m", F.model, "--truth", bad, F.stream.wav])
    #expect(late.status == 1 && late.errors.contains("line 2") && late.output.isEmpty)
  }

  /// A tolerance too large to count in milliseconds, and an averaging window too short to hold
  /// the results a word needs (it never detected anything), are usage errors.
  @Test(arguments: [["--tolerance", "1e20"], ["--tolerance", "inf"], ["--average-window", "0"]])
  func settingsThatCannotWorkAreUsageErrors(settings: [String]) {
    let (wav, truth) = F.stream
    let result = F.run(["listen", "-m", F.model, "--truth", truth, wav] + settings)
    #expect(result.status == 64, "\(result.errors)")
  }

  /// `--tolerance` without `--truth` would be ignored.
  @Test func aToleranceNeedsATruthFile() {
    let result = F.run(["listen", "-m", F.model, F.stream.wav, "--tolerance", "0.5"])
    #expect(result.status == 64 && result.errors.contains("--tolerance needs --truth"))
  }
}
