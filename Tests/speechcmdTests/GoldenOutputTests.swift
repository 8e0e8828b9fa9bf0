import Foundation
import SpeechCommands
import Testing

@testable import speechcmd

/// The exact text of `listen`'s and `evaluate`'s output formats for fixed results (classify's
/// formats are pinned byte for byte by `ShippedModelTests` and `ResultFormatterTests`).
@Suite struct GoldenOutputTests {
  let detection = Detection(time: 12.345, label: "yes", score: 0.9123)
  let score = DetectionScorer.score(
    truth: [TimedLabel(label: "yes", time: 12), TimedLabel(label: "no", time: 20)],
    detections: [TimedLabel(label: "yes", time: 12.3), TimedLabel(label: "up", time: 40)])

  @Test func listenTable() {
    #expect(ListenFormat.table.line(detection) == "12.35  yes  0.91")
    #expect(
      ListenFormat.table.summary(score, tolerance: 0.75)
        == "# 50.0% matched, 50.0% correctly, 0.0% wrongly, 50.0% false positives "
        + "(2 words, tolerance 750 ms)")
  }

  @Test func listenJSONLines() {
    #expect(
      ListenFormat.jsonl.line(detection) == #"{"time":12.35,"label":"yes","score":0.91}"#)
    #expect(
      ListenFormat.jsonl.summary(score, tolerance: 0.75)
        == #"{"truth_words":2,"matched":50.0,"correct":50.0,"wrong":0.0,"#
        + #""false_positives":50.0,"false_positive_count":1,"tolerance":0.750}"#)
  }

  let evaluation = EvaluationResult(
    report: ClassificationReport(
      ClassificationMetrics(labels: ["no", "yes"], truth: [0, 0, 1, 1], predicted: [0, 1, 1, 1])),
    model: "m.safetensors", data: "data", split: "test", listed: 4)

  @Test func evaluateText() {
    #expect(
      evaluation.text() == """
        m.safetensors on data (test split): accuracy 75.00% of 4 clips, macro F1 0.733

        label    precision  recall      F1  clips
        no           1.000   0.500   0.667      2
        yes          0.667   1.000   0.800      2

        confusion (rows: true, columns: predicted)
                    0    1
        0 no        1    1
        1 yes       0    2

        """)
  }

  @Test func evaluateJSON() {
    #expect(
      evaluation.json() == """
        {
          "accuracy" : 0.75,
          "classes" : [
            {
              "f1" : 0.6666666666666666,
              "label" : "no",
              "precision" : 1,
              "recall" : 0.5,
              "support" : 2
            },
            {
              "f1" : 0.8,
              "label" : "yes",
              "precision" : 0.6666666666666666,
              "recall" : 1,
              "support" : 2
            }
          ],
          "confusion" : [
            [
              1,
              1
            ],
            [
              0,
              2
            ]
          ],
          "count" : 4,
          "data" : "data",
          "labels" : [
            "no",
            "yes"
          ],
          "listed" : 4,
          "macroF1" : 0.7333333333333334,
          "model" : "m.safetensors",
          "split" : "test"
        }
        """)
  }

  /// A split that scores part of the data says so, and how to score all of it.
  @Test func evaluateTextNamesAPartialSplit() {
    var part = evaluation
    part.listed = 36
    #expect(
      part.text().hasPrefix(
        """
        m.safetensors on data (test split): accuracy 75.00% of 4 clips, macro F1 0.733
        (4 of the 36 clips listed, split as training split its data; --split all scores every clip)

        label
        """))
  }
}
