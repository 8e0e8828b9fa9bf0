import ArgumentParser
import Foundation
import SpeechCommands

/// `--format` values of `listen`.
enum ListenFormat: String, ExpressibleByArgument, CaseIterable {
  case table, jsonl

  /// `12.34  yes  0.91` or `{"time":12.34,"label":"yes","score":0.91}`.
  func line(_ detection: Detection) -> String {
    switch self {
    case .table:
      return String(format: "%.2f  ", detection.time) + detection.label
        + String(format: "  %.2f", detection.score)
    case .jsonl:
      return String(format: "{\"time\":%.2f,\"label\":", detection.time)
        + TextEscaping.jsonString(detection.label)
        + String(format: ",\"score\":%.2f}", detection.score)
    }
  }

  /// The `--truth` summary: TensorFlow's line, or one JSON object with the percentages of the
  /// truth words and the count of false positives (which a stream without truth words still has).
  func summary(_ score: DetectionScore, tolerance: Double) -> String {
    switch self {
    case .table:
      return
        "# \(score.summary) (\(score.truthWords) words, tolerance \(Int((tolerance * 1000).rounded())) ms)"
    case .jsonl:
      return String(
        format: "{\"truth_words\":%d,\"matched\":%.1f,\"correct\":%.1f,\"wrong\":%.1f,"
          + "\"false_positives\":%.1f,\"false_positive_count\":%d,\"tolerance\":%.3f}",
        score.truthWords, score.percent(score.matched), score.percent(score.correct),
        score.percent(score.wrong), score.percent(score.falsePositives), score.falsePositives,
        tolerance)
    }
  }
}
