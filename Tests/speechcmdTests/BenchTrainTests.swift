import Foundation
import SpeechBench
import SpeechModel
import Testing

@testable import speechcmd

@Suite struct BenchTrainTests {
  @Test func parsesThreadsAndFormat() throws {
    let command = try SpeechCmd.parseAsRoot([
      "bench", "train", "--threads", "2", "--format", "json",
    ])
    let train = try #require(command as? SpeechCmd.Bench.Train)
    #expect(
      train.threads == 2 && train.format == .json && train.samples == 100_000 && train.epochs == 3)
  }

  @Test(arguments: [
    ["--threads", "0"], ["--samples", "99"], ["--epochs", "0"], ["--format", "xml"],
    ["--samples", "9223372036854775807"], ["--samples", "100000000000"],
  ])
  func rejectsBadOptions(_ options: [String]) {
    do {
      _ = try SpeechCmd.parseAsRoot(["bench", "train"] + options)
      Issue.record("accepted \(options)")
    } catch {
      #expect(SpeechCmd.exitCode(for: error).rawValue == 64)
    }
  }

  @Test func jsonReportHasTheAgreedKeys() throws {
    let result = TrainingBenchmark.Result(
      samplesPerSecond: 100_000, predictOneMicroseconds: 9.5, gflops: 54, sgemmPeakGflops: 70,
      sgemmWidestGflops: 80, threads: 2, trainSeconds: 3, finalLoss: 2.4)
    let lines = SpeechCmd.Bench.Train.lines(result, format: .json)
    #expect(lines.count == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    for key in [
      "samplesPerSecond", "predictOneMicroseconds", "gflops", "sgemmPeakGflops", "threads",
    ] {
      #expect(object[key] != nil, "missing \(key)")
    }
    let text = SpeechCmd.Bench.Train.lines(result, format: .text).joined(separator: "\n")
    #expect(
      text.contains("100000 samples/s") && text.contains("77% of sgemm") && text.contains("9.5 µs"))
  }
}
