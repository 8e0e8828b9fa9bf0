import ArgumentParser
import Foundation
import SpeechCommands

/// How `classify` prints its results.
enum ResultFormat: String, Sendable, CaseIterable, ExpressibleByArgument {
  /// Aligned columns `LABEL SCORE [LABEL SCORE…] FILE` for reading (the default on a terminal).
  case table
  /// One JSON object per line: `{"file", "label", "score", "top": [{"label", "score"}…]}`,
  /// plus `"start"` (seconds) with `--all-windows`.
  case jsonl
  /// Comma-separated with a header: `file,label,score[,label_2,score_2…]`, plus `start` after
  /// `file` with `--all-windows` (RFC 4180 quoting). `label_2…` go on down the ranking; after a
  /// `_unknown_` set by the threshold they start at the best label.
  case csv
}

/// Turns classification results into output lines, one window at a time (never buffering the
/// whole run, so the table's widths come from the model's labels, not from the data).
struct ResultFormatter: Sendable {
  /// The output format.
  let format: ResultFormat
  /// Labels per line (the best first).
  let topK: Int
  /// Whether a window start column is printed.
  let allWindows: Bool
  /// Width of a label column in the table: the longest label the model can output.
  private let labelWidth: Int

  /// A formatter for a model with `labels` (including `_unknown_`, which thresholds may print).
  init(format: ResultFormat, labels: [String], topK: Int, allWindows: Bool) {
    self.format = format
    self.topK = max(1, min(topK, labels.count))
    self.allWindows = allWindows
    self.labelWidth = (labels + [unknownLabel, "LABEL"]).map(\.count).max() ?? 9
  }

  /// The line printed before the first result, if the format has one.
  var header: String? {
    switch format {
    case .jsonl:
      return nil
    case .csv:
      var columns = ["file"]
      if allWindows { columns.append("start") }
      columns += ["label", "score"]
      for k in stride(from: 2, through: topK, by: 1) { columns += ["label_\(k)", "score_\(k)"] }
      return columns.joined(separator: ",")
    case .table:
      var line = allWindows ? "START     " : ""
      line += pad("LABEL") + "  SCORE"
      for k in stride(from: 2, through: topK, by: 1) { line += "  " + pad("#\(k)") + "  SCORE" }
      return line + "  FILE"
    }
  }

  /// The lines for one file (one per window); a failed file has none (it goes to stderr).
  func lines(for result: FileResult) -> [String] {
    guard case .classified(let path, let windows, _) = result else { return [] }
    return windows.map { line(path: path, window: $0) }
  }

  /// The line for one window of `path`.
  func line(path: String, window: WindowResult) -> String {
    // The columns after the decision go on down the ranking; when a threshold turned the best
    // label into `_unknown_`, the ranking starts at that best label, which would be lost.
    let ranking = window.top.first?.label == window.label ? window.top.dropFirst() : window.top[...]
    let others = Array(ranking.prefix(topK - 1))
    switch format {
    case .jsonl:
      var json = "{\"file\":" + TextEscaping.jsonString(path)
      if allWindows { json += ",\"start\":" + String(format: "%.3f", window.start) }
      json +=
        ",\"label\":" + TextEscaping.jsonString(window.label) + ",\"score\":" + score(window.score)
      let top = window.top.prefix(topK).map {
        "{\"label\":" + TextEscaping.jsonString($0.label) + ",\"score\":" + score($0.score) + "}"
      }
      return json + ",\"top\":[" + top.joined(separator: ",") + "]}"
    case .csv:
      var fields = [CSV.field(path)]
      if allWindows { fields.append(String(format: "%.3f", window.start)) }
      fields += [CSV.field(window.label), score(window.score)]
      for other in others { fields += [CSV.field(other.label), score(other.score)] }
      return fields.joined(separator: ",")
    case .table:
      var line = ""
      if allWindows {
        let start = String(format: "%.2fs", window.start)
        line = start + String(repeating: " ", count: max(2, 10 - start.count))
      }
      line += pad(window.label) + "  " + String(format: "%5.3f", window.score)
      for other in others {
        line += "  " + pad(other.label) + "  " + String(format: "%5.3f", other.score)
      }
      return line + "  " + path
    }
  }

  private func pad(_ label: String) -> String {
    label.count >= labelWidth
      ? label : label + String(repeating: " ", count: labelWidth - label.count)
  }

  private func score(_ value: Float) -> String { String(format: "%.4f", value) }
}
