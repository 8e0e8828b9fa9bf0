import Testing

@testable import SpeechCommands
@testable import speechcmd

/// What `speechcmd train` prints after training (`TrainingResult.lines`).
@Suite struct TrainOutputTests {
  /// Old and new labels' accuracy get their own line per split only when retraining added labels;
  /// new takes of old words alone would repeat the accuracy lines.
  @Test func oldAndNewLabelsApartOnlyWhenThereAreNewOnes() {
    let labels = ["a", "b", "c"]
    let train = ClassificationMetrics(labels: labels, truth: [0, 1, 2, 2], predicted: [0, 1, 2, 0])
    var result = TrainingResult(
      labels: labels, history: [], bestEpoch: 4, stop: .completed, metrics: [.train: train],
      oldLabelCount: 2, output: "m.safetensors", reportFiles: [])
    #expect(result.lines.contains("train: old labels 100.00%, new labels (c) 50.00%"))
    #expect(result.lines.contains("train      accuracy: 75.00% (4 clips)"))
    result.oldLabelCount = 3
    #expect(!result.lines.contains { $0.contains("old labels") })
    #expect(result.lines.contains("train      accuracy: 75.00% (4 clips)"))
  }

  /// An operating point that finds few validation words comes with a note on how to find more;
  /// one that finds most of them does not.
  @Test func operatingPointFindingFewWordsGetsANote() throws {
    var result = TrainingResult(
      labels: ["a", "b"], history: [], bestEpoch: 1, stop: .completed, metrics: [:],
      oldLabelCount: 2, output: "m.safetensors", reportFiles: [])
    let fit = OperatingPointFit(
      words: 268, nonCommandWords: 38, right: 0.045, wrong: 0, spurious: 0,
      falseAcceptsPerWord: 0)
    result.operatingPoint = OperatingPoint(threshold: 0.95, averageWindowMs: 750, fit: fit)
    let note = try #require(result.lines.first { $0.hasPrefix("note:") })
    #expect(note.contains("only 4.5% of the validation words"))
    #expect(note.contains("listen --threshold"))
    result.operatingPoint?.fit?.right = 0.6
    #expect(!result.lines.contains { $0.hasPrefix("note:") })
  }
}
