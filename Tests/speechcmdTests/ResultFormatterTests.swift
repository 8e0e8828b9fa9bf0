import Testing

import SpeechCommands

@testable import speechcmd

@Suite struct ResultFormatterTests {
  let labels = ["_silence_", "yes", "no"]
  let window = WindowResult(
    start: 1.5, label: "yes", score: 0.91234,
    top: [LabelScore(label: "yes", score: 0.91234), LabelScore(label: "no", score: 0.05)])

  @Test func jsonLinesCarryFileLabelScoreAndTop() {
    let f = ResultFormatter(format: .jsonl, labels: labels, topK: 2, allWindows: false)
    #expect(f.header == nil)
    #expect(
      f.line(path: "dir/\"quoted\"\\a.wav", window: window)
        == #"{"file":"dir/\"quoted\"\\a.wav","label":"yes","score":0.9123,"top":[{"label":"yes","score":0.9123},{"label":"no","score":0.0500}]}"#
    )
    let windows = ResultFormatter(format: .jsonl, labels: labels, topK: 1, allWindows: true)
    #expect(
      windows.line(path: "a.wav", window: window)
        == #"{"file":"a.wav","start":1.500,"label":"yes","score":0.9123,"top":[{"label":"yes","score":0.9123}]}"#
    )
  }

  @Test func csvHasAHeaderAndQuotes() {
    let f = ResultFormatter(format: .csv, labels: labels, topK: 2, allWindows: true)
    #expect(f.header == "file,start,label,score,label_2,score_2")
    #expect(f.line(path: "a,b.wav", window: window) == "\"a,b.wav\",1.500,yes,0.9123,no,0.0500")
    #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
  }

  @Test func tableColumnsAlignOnTheLongestLabel() {
    let f = ResultFormatter(format: .table, labels: labels, topK: 1, allWindows: false)
    #expect(f.header == "LABEL      SCORE  FILE")
    #expect(f.line(path: "a.wav", window: window) == "yes        0.912  a.wav")
  }

  /// A best label below the threshold is printed as `_unknown_` with its score; the columns
  /// after it still name that best label, as JSON's `top` does.
  @Test func aThresholdedWindowKeepsItsBestLabelInTheOtherColumns() {
    let unsure = WindowResult(
      start: 0, label: "_unknown_", score: 0.8892,
      top: [
        LabelScore(label: "yes", score: 0.8892), LabelScore(label: "_unknown_", score: 0.0518),
      ])
    let csv = ResultFormatter(format: .csv, labels: labels, topK: 2, allWindows: false)
    #expect(csv.line(path: "a.wav", window: unsure) == "a.wav,_unknown_,0.8892,yes,0.8892")
    let table = ResultFormatter(format: .table, labels: labels, topK: 2, allWindows: false)
    #expect(
      table.line(path: "a.wav", window: unsure) == "_unknown_  0.889  yes        0.889  a.wav")
  }

  @Test func topKIsClampedToTheLabels() {
    let f = ResultFormatter(format: .csv, labels: labels, topK: 9, allWindows: false)
    #expect(f.header == "file,label,score,label_2,score_2,label_3,score_3")
  }

  @Test func failedFilesPrintNothing() {
    let f = ResultFormatter(format: .csv, labels: labels, topK: 1, allWindows: false)
    #expect(f.lines(for: .failed(path: "x", reason: "bad")).isEmpty)
  }

  @Test func jsonEscapesControlCharacters() {
    #expect(TextEscaping.jsonString("a\u{1}\n\té") == "\"a\\u0001\\n\\té\"")
  }
}
