import Foundation
import Testing

@testable import SpeechModel

/// Optimiser steps against values computed by hand (the update rules of `torch.optim` written
/// out in Float64 arithmetic, see each case), on a two-parameter network.
@Suite struct OptimizerTests {
  /// A 1 → 1 linear network: parameters are [weight, bias].
  static func model(_ p: [Float]) -> MLP {
    MLP(inputSize: 1, hidden: [], outputSize: 1, parameters: p)
  }

  static let gradients: [[Float]] = [[0.5, -1.0], [-1.0, 0.25], [0.3, 0.3]]

  static func run(_ optimizer: some Optimizer, learningRate: Float = 0.1) -> [[Float]] {
    var optimizer = optimizer
    var m = model([1, -2])
    var trace: [[Float]] = []
    for g in gradients {
      optimizer.step(&m, Gradients(values: g), learningRate: learningRate)
      trace.append(m.parameters)
    }
    return trace
  }

  static func expectClose(
    _ got: [[Float]], _ want: [[Double]], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(got.count == want.count, "steps", sourceLocation: sourceLocation)
    for (step, (g, w)) in zip(got, want).enumerated() {
      #expect(g.count == w.count, "step \(step + 1): lengths", sourceLocation: sourceLocation)
      for (a, b) in zip(g, w) {
        #expect(
          abs(Double(a) - b) < 2e-6, "step \(step + 1): \(a) vs \(b)",
          sourceLocation: sourceLocation)
      }
    }
  }

  @Test func adam() {
    // m = 0.1·g, v = 0.001·g² → the first step moves each parameter by lr·sign(g).
    Self.expectClose(
      Self.run(Adam()),
      [
        [0.900000002, -1.900000001],
        [0.9366103542405654, -1.8530531845234584],
        [0.9473774736526891, -1.8360790631814412],
      ])
  }

  @Test func adamWithL2WeightDecay() {
    Self.expectClose(
      Self.run(Adam(weightDecay: 0.1)),
      [
        [0.9000000016666666, -1.9000000008333333],
        [0.9252635194456061, -1.8367957569894449],
        [0.921979323363058, -1.794328355644954],
      ])
  }

  @Test func adamWDecouplesWeightDecay() {
    // θ ← θ·(1 − 0.1·0.1) before the Adam step: 1 → 0.99 → 0.89.
    Self.expectClose(
      Self.run(Adam.adamW(weightDecay: 0.1)),
      [
        [0.890000002, -1.880000001],
        [0.9177103542205653, -1.8142531845134584],
        [0.9193003700904834, -1.7791365313263066],
      ])
  }

  @Test func plainSGD() {
    Self.expectClose(Self.run(SGD()), [[0.95, -1.9], [1.05, -1.925], [1.02, -1.955]])
    Self.expectClose(
      Self.run(SGD(weightDecay: 0.1)),
      [
        [0.94, -1.88], [1.0306, -1.8862], [0.990294, -1.897338],
      ])
  }

  @Test func momentumAndNesterov() {
    // b₁ = g₁; b₂ = 0.9·b₁ + g₂ = −0.55 → θ = 0.95 + 0.055 = 1.005.
    Self.expectClose(
      Self.run(SGD(momentum: 0.9)),
      [
        [0.95, -1.9], [1.005, -1.835], [1.0245, -1.8065],
      ])
    // Nesterov: θ ← θ − lr·(g + μ·b): 1 − 0.1·(0.5 + 0.45) = 0.905.
    Self.expectClose(
      Self.run(SGD(momentum: 0.9, nesterov: true)),
      [
        [0.905, -1.81], [1.0545, -1.7765], [1.04205, -1.78085],
      ])
  }

  /// The vectorised update (16 lanes, whichever instruction set runs it, split across two
  /// threads) equals Float arithmetic done one parameter at a time in the documented order, bit
  /// for bit: no fused multiply-add, no dependence on vector width or on where chunks are cut.
  @Test(arguments: [(Float(0), false), (0.01, false), (0.05, true)])
  func adamIsElementwiseFloatArithmetic(weightDecay: Float, decoupled: Bool) {
    let count = 40_007  // two threads' chunks, whole vectors and a tail
    var rng = SeededGenerator(seed: 3)
    let start = (0..<count).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
    let steps = (0..<3).map { _ in (0..<count).map { _ in Float(rng.nextUnitDouble() - 0.5) } }
    var model = MLP(inputSize: count - 1, hidden: [], outputSize: 1, parameters: start)
    var adam = Adam(weightDecay: weightDecay, decoupled: decoupled)
    LinearAlgebra.withExactThreadCount(2) {
      for g in steps { adam.step(&model, Gradients(values: g), learningRate: 0.01) }
    }

    let (b1, b2, eps, lr): (Float, Float, Float, Float) = (0.9, 0.999, 1e-8, 0.01)
    var (p, m, v) = (start, [Float](repeating: 0, count: count), [Float](repeating: 0, count: count))
    for (t, g) in steps.enumerated() {
      let stepSize = lr / (1 - Float(pow(Double(b1), Double(t + 1))))
      let root = (1 - Float(pow(Double(b2), Double(t + 1)))).squareRoot()
      let l2: Float = decoupled ? 0 : weightDecay
      let shrink: Float = decoupled ? 1 - lr * weightDecay : 1
      for i in 0..<count {
        let theta = p[i] * shrink
        let grad = g[i] + l2 * theta
        m[i] = b1 * m[i] + (1 - b1) * grad
        let gradSquared = (1 - b2) * grad * grad
        v[i] = b2 * v[i] + gradSquared
        let denominator = v[i].squareRoot() / root + eps
        p[i] = theta - stepSize * m[i] / denominator
      }
    }
    let differing = zip(model.parameters, p).filter { $0.bitPattern != $1.bitPattern }.count
    #expect(differing == 0, "\(differing) of \(count) parameters differ")
  }

  @Test func stateRestartsWhenTheModelGrows() {
    var adam = Adam()
    var m = Self.model([1, -2])
    adam.step(&m, Gradients(values: [0.5, -1]), learningRate: 0.1)
    var rng = SeededGenerator(seed: 1)
    m.addOutputs(1, using: &rng)
    adam.step(&m, Gradients(values: [0, 0, 0, 0]), learningRate: 0.1)
    #expect(adam.steps == 1)
  }

  @Test func warmupThenConstant() {
    let s = LearningRateSchedule(base: 1, warmupSteps: 4)
    #expect((0..<6).map(s.rate(at:)) == [0.25, 0.5, 0.75, 1, 1, 1])
  }

  @Test func stepDecay() {
    let s = LearningRateSchedule(base: 1, warmupSteps: 4, kind: .step(every: 10, factor: 0.5))
    #expect(s.rate(at: 4) == 1 && s.rate(at: 13) == 1)
    #expect(s.rate(at: 14) == 0.5 && s.rate(at: 23) == 0.5 && s.rate(at: 24) == 0.25)
  }

  @Test func cosineDecay() {
    let s = LearningRateSchedule(
      base: 1, warmupSteps: 4, kind: .cosine(totalSteps: 14, minimum: 0.1))
    #expect(s.rate(at: 0) == 0.25)
    #expect(s.rate(at: 4) == 1)
    #expect(abs(s.rate(at: 9) - 0.55) < 1e-6)  // halfway: 0.1 + 0.9·(1 + cos(π/2))/2
    // Two of ten steps in: cos(π/5) = 0.8090169943749475.
    #expect(abs(s.rate(at: 6) - Float(0.1 + 0.9 * (1 + 0.8090169943749475) / 2)) < 1e-6)
    #expect(abs(s.rate(at: 14) - 0.1) < 1e-7 && abs(s.rate(at: 40) - 0.1) < 1e-7)
  }

  @Test func clippingByGlobalNorm() {
    var g = Gradients(values: [3, 0, 4])
    let norm = g.clipGlobalNorm(1)
    #expect(norm == 5)
    #expect(abs(g.values[0] - 0.6) < 1e-6 && g.values[1] == 0 && abs(g.values[2] - 0.8) < 1e-6)
    let workspace = MLPWorkspace()
    workspace.gradients = Gradients(values: [3, 0, 4])
    #expect(workspace.clipGradients(globalNorm: 2.5) == 5)
    #expect(abs(workspace.gradients.values[2] - 2) < 1e-6)
    var small = Gradients(values: [0.3, 0.4])
    #expect(abs(small.clipGlobalNorm(1) - 0.5) < 1e-7)
    #expect(small.values == [0.3, 0.4])
  }
}
