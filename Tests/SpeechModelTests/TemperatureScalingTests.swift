import Foundation
import Testing

@testable import SpeechModel

@Suite struct TemperatureScalingTests {
  /// Labels drawn from softmax(`base`) make `base` the calibrated logits: handed `base / t`,
  /// the fit must find the factor `t` that undoes the temperature.
  static func drawn(rows: Int, classes: Int, seed: UInt64) -> (base: [Float], labels: [Int]) {
    var rng = SeededGenerator(seed: seed)
    let base = (0..<rows * classes).map { _ in Float(2 * rng.nextStandardNormal()) }
    let labels = (0..<rows).map { r -> Int in
      let row = base[(r * classes)..<((r + 1) * classes)].map { exp(Double($0)) }
      var u = rng.nextUnitDouble() * row.reduce(0, +)
      for (c, p) in row.enumerated() {
        u -= p
        if u < 0 { return c }
      }
      return classes - 1
    }
    return (base, labels)
  }

  @Test(arguments: [Float(0.4), 1, 3])
  func recoversTheTemperatureTheLogitsWereDividedBy(t: Float) {
    let (base, labels) = Self.drawn(rows: 6000, classes: 6, seed: 5)
    let factor = TemperatureScaling.fit(
      logits: base.map { $0 / t }, classes: 6, targets: labels, loss: .crossEntropy)
    #expect(abs(factor / t - 1) < 0.08, "fitted \(factor), expected \(t)")
  }

  @Test(arguments: [LossKind.crossEntropy, .binaryCrossEntropy])
  func theFactorMinimisesTheHeldOutLoss(loss: LossKind) {
    let (base, labels) = Self.drawn(rows: 2000, classes: 4, seed: 9)
    let logits = base.map { $0 * 0.3 }  // under-confident
    let factor = TemperatureScaling.fit(logits: logits, classes: 4, targets: labels, loss: loss)
    let cost = { (f: Float) in
      loss.meanLoss(logits: logits.map { $0 * f }, classes: 4, targets: labels)
    }
    #expect(factor > 1)
    #expect(cost(factor) < cost(1))
    #expect(cost(factor) <= cost(factor * 1.05) && cost(factor) <= cost(factor / 1.05))
  }

  @Test func scalingTheOutputLayerScalesEveryLogitAndKeepsTheArgmax() {
    var rng = SeededGenerator(seed: 3)
    let network = MLP(inputSize: 7, hidden: [5, 4], outputSize: 3, using: &rng)
    var scaled = network
    scaled.scaleLogits(by: 2.5)
    let x = MLPTests.randomBatch(rows: 10, cols: 7, seed: 4)
    let (a, b) = (network.logits(x).values, scaled.logits(x).values)
    for (u, v) in zip(a, b) { #expect(abs(v - 2.5 * u) <= 1e-5 * max(1, abs(u))) }
    let hiddenEnd = network.weightOffset(network.layerCount - 1)
    #expect(network.parameters[..<hiddenEnd] == scaled.parameters[..<hiddenEnd])
  }

  /// Held-out clips that are all right pin no temperature down: the loss keeps falling as the
  /// factor grows, so the fit ends at the top of its range, which `isAtRangeEnd` recognises.
  @Test func allRightClipsRunToTheEndOfTheRange() {
    // Five clips, each with its own class ahead by 1.
    let targets = [0, 1, 2, 3, 0]
    let logits = targets.flatMap { t in (0..<4).map { Float($0 == t ? 1 : 0) } }
    let factor = TemperatureScaling.fit(
      logits: logits, classes: 4, targets: targets, loss: .crossEntropy)
    #expect(TemperatureScaling.isAtRangeEnd(factor), "fitted \(factor)")
    let (base, labels) = Self.drawn(rows: 2000, classes: 4, seed: 9)
    let usual = TemperatureScaling.fit(
      logits: base, classes: 4, targets: labels, loss: .crossEntropy)
    #expect(!TemperatureScaling.isAtRangeEnd(usual), "fitted \(usual)")
  }

  @Test func noTargetsLeaveTheLogitsAlone() {
    #expect(TemperatureScaling.fit(logits: [], classes: 3, targets: [], loss: .crossEntropy) == 1)
  }
}
