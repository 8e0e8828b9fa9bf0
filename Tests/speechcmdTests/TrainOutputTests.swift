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
}
