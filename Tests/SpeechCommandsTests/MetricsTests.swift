import Foundation
import Testing

@testable import SpeechCommands

@Suite struct MetricsTests {
  /// Hand-computed: truth a a a b b c, predicted a a b b c c.
  @Test func precisionRecallF1ByHand() {
    let m = ClassificationMetrics(
      labels: ["a", "b", "c"], truth: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 2, 2])
    #expect(m.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
    #expect(m.count == 6)
    #expect(abs(m.accuracy - 4.0 / 6) < 1e-12)
    let c = m.classes
    #expect(c[0].precision == 1 && abs(c[0].recall - 2.0 / 3) < 1e-12)
    #expect(abs(c[1].precision - 0.5) < 1e-12 && abs(c[1].recall - 0.5) < 1e-12)
    #expect(abs(c[2].precision - 0.5) < 1e-12 && c[2].recall == 1)
    #expect(abs(c[2].f1 - 2.0 / 3) < 1e-12)
    #expect(abs(c[0].f1 - 0.8) < 1e-12)
    #expect(m.accuracy(over: [2]) == 1)
    #expect(m.accuracy(over: [0, 1]) == 0.6)
  }

  @Test func emptyClassesDoNotDivideByZero() {
    let m = ClassificationMetrics(labels: ["a", "b"], truth: [0], predicted: [0])
    #expect(m.classes[1] == ClassMetrics(label: "b", precision: 0, recall: 0, f1: 0, support: 0))
    #expect(m.accuracy(over: [1]) == nil)
  }

  /// Macro F1 counts every label of the truth or the predictions, as scikit-learn's
  /// `f1_score(["a", "a", "b"], ["a", "c", "b"], average="macro")` = (2/3 + 1 + 0) / 3: a label
  /// only predicted scores 0, and a label neither true nor predicted is left out.
  @Test func macroF1CountsLabelsOnlyPredicted() {
    let m = ClassificationMetrics(
      labels: ["a", "b", "c", "d"], truth: [0, 0, 1], predicted: [0, 2, 1])
    #expect(abs(m.macroF1 - (2.0 / 3 + 1 + 0) / 3) < 1e-12)
    let none = ClassificationMetrics(labels: ["a"], truth: [], predicted: [])
    #expect(none.macroF1 == 0)
  }

  @Test func normaliserStandardises() {
    let n = FeatureStandardiser(fitting: [1, 5, 3, 5, 5, 5], rows: 3, cols: 2)
    #expect(n.mean == [3, 5])
    #expect(abs(n.std[0] - Float((8.0 / 3).squareRoot())) < 1e-6)
    #expect(n.std[1] == FeatureStandardiser.constantStd)  // constant feature: switched off
    var x: [Float] = [3, 6]
    n.apply(to: &x, cols: 2)
    #expect(x == [0, 1e-6])
  }
}
