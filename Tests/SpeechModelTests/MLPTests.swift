import Foundation
import Testing

@testable import SpeechModel

@Suite(.serialized, .tags(.slow)) struct MLPTests {
  static func randomBatch(rows: Int, cols: Int, seed: UInt64) -> Matrix {
    var rng = SeededGenerator(seed: seed)
    return Matrix(
      rows: rows, cols: cols,
      values: (0..<rows * cols).map { _ in Float.random(in: -2...2, using: &rng) })
  }

  @Test func sameSeedGivesBitIdenticalWeights() {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    var c = SeededGenerator(seed: 43)
    let m1 = MLP(inputSize: 20, hidden: [16, 8], outputSize: 5, using: &a)
    let m2 = MLP(inputSize: 20, hidden: [16, 8], outputSize: 5, using: &b)
    let m3 = MLP(inputSize: 20, hidden: [16, 8], outputSize: 5, using: &c)
    #expect(m1.parameters.map(\.bitPattern) == m2.parameters.map(\.bitPattern))
    #expect(m1 != m3)
    #expect(m1.parameterCount == 21 * 16 + 17 * 8 + 9 * 5)
  }

  @Test func initialisationHasHeAndXavierScales() {
    var rng = SeededGenerator(seed: 1)
    let m = MLP(inputSize: 400, hidden: [300], outputSize: 200, using: &rng)
    let w0 = m.weight(layer: 0).values.map(Double.init)
    let std0 = (w0.map { $0 * $0 }.reduce(0, +) / Double(w0.count)).squareRoot()
    #expect(abs(std0 - (2.0 / 400).squareRoot()) < 0.002)
    let w1 = m.weight(layer: 1).values
    let limit = Float((6.0 / 500).squareRoot())
    #expect(w1.allSatisfy { abs($0) <= limit })
    #expect(w1.max()! > 0.9 * limit && w1.min()! < -0.9 * limit)
    #expect(m.bias(layer: 0).allSatisfy { $0 == 0 } && m.bias(layer: 1).allSatisfy { $0 == 0 })
  }

  @Test func logitsMatchNaiveDoubleForward() {
    var rng = SeededGenerator(seed: 7)
    var m = MLP(inputSize: 13, hidden: [11, 9], outputSize: 4, using: &rng)
    for i in m.parameters.indices { m.parameters[i] += Float(i % 5) * 0.01 }  // non-zero biases
    let x = Self.randomBatch(rows: 6, cols: 13, seed: 8)
    let got = m.logits(x)
    let want = Reference.logits(
      m, parameters: m.parameters.map(Double.init), x: x.values.map(Double.init), rows: 6)
    #expect(got.rows == 6 && got.cols == 4)
    for (a, b) in zip(got.values, want) { #expect(abs(Double(a) - b) < 1e-5 * max(1, abs(b))) }
    // One sample through a reused workspace gives the batch's first row.
    let workspace = MLPWorkspace()
    let one = m.logits(sample: x.row(0), workspace: workspace)
    for (a, b) in zip(one, got.row(0)) { #expect(abs(a - b) < 1e-5 * max(1, abs(b))) }
    #expect(m.logits(x, workspace: workspace) == got)
  }

  /// One sample through wide layers: one row goes through `matrixVector`, not BLAS (see
  /// `denseForward`), four rows of W at a time with a scalar tail.
  @Test func oneSampleThroughWideLayersMatchesTheReference() {
    var rng = SeededGenerator(seed: 17)
    let m = MLP(inputSize: 490, hidden: [144, 144], outputSize: 12, using: &rng)
    let x = Self.randomBatch(rows: 2, cols: 490, seed: 18)
    let workspace = MLPWorkspace()
    let want = Reference.logits(
      m, parameters: m.parameters.map(Double.init), x: x.values.map(Double.init), rows: 2)
    for r in 0..<2 {
      let one = m.logits(sample: x.row(r), workspace: workspace)
      for (c, a) in one.enumerated() {
        #expect(abs(Double(a) - want[r * 12 + c]) < 1e-4 * max(1, abs(want[r * 12 + c])))
      }
    }
  }

  /// A network with convolutions over its input frames: the same logits as the definition
  /// (batched through BLAS, and one sample through the matrix–vector kernel frame by frame),
  /// and backprop equal to finite differences for every parameter and every input.
  @Test func convolutionsMatchTheirDefinitionAndTheirGradients() {
    var rng = SeededGenerator(seed: 21)
    let convolution = FrameConvolution(
      frameWidth: 3, frames: 9,
      layers: [
        ConvolutionLayer(channels: 4, width: 3), ConvolutionLayer(channels: 5, width: 2, dilation: 2),
      ])
    #expect(convolution.problem == nil)
    #expect(convolution.outputSize == 5 * 5)  // 9 frames → 7 → 5 (span 3), of 5 channels
    var m = MLP(
      inputSize: 27, convolution: convolution, hidden: [6], outputSize: 3, using: &rng)
    for i in m.parameters.indices { m.parameters[i] += Float(i % 7) * 0.02 - 0.05 }
    #expect(m.parameterCount == (3 * 3 + 1) * 4 + (2 * 4 + 1) * 5 + (25 + 1) * 6 + 7 * 3)
    let rows = 4
    let x = Self.randomBatch(rows: rows, cols: 27, seed: 22)
    let xd = x.values.map(Double.init)
    let want = Reference.logits(m, parameters: m.parameters.map(Double.init), x: xd, rows: rows)
    let got = m.logits(x)
    for (a, b) in zip(got.values, want) { #expect(abs(Double(a) - b) < 1e-5 * max(1, abs(b))) }
    let one = m.logits(sample: x.row(1), workspace: MLPWorkspace())
    for (a, b) in zip(one, want[3..<6]) { #expect(abs(Double(a) - b) < 1e-5 * max(1, abs(b))) }

    let classes = [0, 2, 1, 2]
    let (_, _, g) = m.lossAndGradients(
      x, targets: .classes(classes), loss: LossOptions(), training: false, using: &rng)
    func loss(_ p: [Double], _ input: [Double]) -> Double {
      Reference.crossEntropy(
        Reference.logits(m, parameters: p, x: input, rows: rows), classes: 3, targets: classes,
        weights: nil, smoothing: 0)
    }
    let p = m.parameters.map(Double.init)
    /// Relative difference of backprop's `analytic` from the central difference of `f` at `at`
    /// along coordinate `i`.
    func error(_ analytic: Float, _ f: ([Double]) -> Double, at: [Double], _ i: Int) -> Double {
      let h = 1e-6
      var plus = at
      var minus = at
      plus[i] += h
      minus[i] -= h
      let numeric = (f(plus) - f(minus)) / (2 * h)
      return abs(numeric - Double(analytic)) / max(abs(numeric) + abs(Double(analytic)), 1e-4)
    }
    for i in p.indices {
      #expect(error(g.values[i], { loss($0, xd) }, at: p, i) < 1e-3, "parameter \(i)")
    }
    let (_, dx) = m.inputGradients(x, workspace: MLPWorkspace()) { logits, gradient in
      var targetsLoss = 0.0
      for r in 0..<rows {
        let row = (0..<3).map { Double(logits[r * 3 + $0]) }
        let e = row.map { Foundation.exp($0 - row.max()!) }
        let total = e.reduce(0, +)
        for c in 0..<3 {
          gradient[r * 3 + c] = Float((e[c] / total - (c == classes[r] ? 1 : 0)) / Double(rows))
        }
        targetsLoss += Foundation.log(total) + row.max()! - row[classes[r]]
      }
      return targetsLoss / Double(rows)
    }
    for i in xd.indices {
      #expect(error(dx.values[i], { loss(p, $0) }, at: xd, i) < 1e-3, "input \(i)")
    }
  }

  @Test func probabilitiesAreSoftmaxOrSigmoid() {
    var rng = SeededGenerator(seed: 3)
    let m = MLP(inputSize: 5, hidden: [7], outputSize: 3, using: &rng)
    let x = Self.randomBatch(rows: 4, cols: 5, seed: 4)
    let z = m.logits(x)
    let soft = m.probabilities(x, loss: .crossEntropy)
    let sig = m.probabilities(x, loss: .binaryCrossEntropy)
    for r in 0..<4 {
      let row = z.row(r).map(Double.init)
      let e = row.map { Foundation.exp($0 - row.max()!) }
      for c in 0..<3 {
        #expect(abs(Double(soft[r, c]) - e[c] / e.reduce(0, +)) < 1e-6)
        #expect(abs(Double(sig[r, c]) - 1 / (1 + Foundation.exp(-row[c]))) < 1e-6)
      }
    }
  }

  /// Central finite differences of the whole network's loss (Double reference path) against
  /// backprop for every parameter of a small net, for each loss configuration.
  @Test(arguments: [
    LossOptions(),
    LossOptions(classWeights: [0.5, 2, 1, 0.7], labelSmoothing: 0.1),
    LossOptions(
      kind: .binaryCrossEntropy, classWeights: [1, 0.5, 2, 1], positiveWeights: [2, 1, 3, 0.5]),
  ])
  func gradientsMatchFiniteDifferences(_ options: LossOptions) {
    var rng = SeededGenerator(seed: 11)
    var m = MLP(inputSize: 6, hidden: [5, 4], outputSize: 4, using: &rng)
    for i in m.parameters.indices { m.parameters[i] += Float(i % 7) * 0.02 - 0.05 }
    let rows = 5
    let x = Self.randomBatch(rows: rows, cols: 6, seed: 12)
    let classes = [0, 3, 1, 2, 3]
    let (loss, _, g) = m.lossAndGradients(
      x, targets: .classes(classes), loss: options, training: false, using: &rng)
    let xd = x.values.map(Double.init)
    func referenceLoss(_ p: [Double]) -> Double {
      let z = Reference.logits(m, parameters: p, x: xd, rows: rows)
      switch options.kind {
      case .crossEntropy:
        return Reference.crossEntropy(
          z, classes: 4, targets: classes, weights: options.classWeights?.map(Double.init),
          smoothing: Double(options.labelSmoothing))
      case .binaryCrossEntropy:
        var t = [Double](repeating: 0, count: rows * 4)
        for (r, c) in classes.enumerated() { t[r * 4 + c] = 1 }
        return Reference.binaryCrossEntropy(
          z, classes: 4, targets: t, weights: options.classWeights?.map(Double.init),
          positive: options.positiveWeights?.map(Double.init))
      }
    }
    let p = m.parameters.map(Double.init)
    #expect(abs(loss - referenceLoss(p)) < 1e-5)
    let h = 1e-6
    var worst = 0.0
    for i in p.indices {
      var plus = p
      var minus = p
      plus[i] += h
      minus[i] -= h
      let numeric = (referenceLoss(plus) - referenceLoss(minus)) / (2 * h)
      let analytic = Double(g.values[i])
      let error = abs(numeric - analytic) / max(abs(numeric) + abs(analytic), 1e-4)
      worst = max(worst, error)
      #expect(error < 1e-3, "parameter \(i): backprop \(analytic), finite difference \(numeric)")
    }
    #expect(worst < 1e-3)
  }

  @Test func dropoutOnlyInTrainingAndScalesKeptUnits() {
    var rng = SeededGenerator(seed: 5)
    let m = MLP(inputSize: 8, hidden: [64], outputSize: 3, dropout: 0.5, using: &rng)
    let x = Self.randomBatch(rows: 4, cols: 8, seed: 6)
    let options = LossOptions()
    let eval1 = m.lossAndGradients(
      x, targets: .classes([0, 1, 2, 0]), loss: options, training: false, using: &rng)
    #expect(eval1.logits == m.logits(x))
    var r1 = SeededGenerator(seed: 9)
    var r2 = SeededGenerator(seed: 9)
    let t1 = m.lossAndGradients(
      x, targets: .classes([0, 1, 2, 0]), loss: options, training: true, using: &r1)
    let t2 = m.lossAndGradients(
      x, targets: .classes([0, 1, 2, 0]), loss: options, training: true, using: &r2)
    #expect(t1.logits != eval1.logits)
    #expect(t1.gradients == t2.gradients && t1.logits == t2.logits)
    // A third of the first layer's weight gradient rows vanish for dropped units on every row?
    // Rather: the dropped units' share of zero rows in the hidden weight gradient is about p.
    let g = t1.gradients.values
    let zeroRows = (0..<64).filter { u in (0..<8).allSatisfy { g[u * 8 + $0] == 0 } }.count
    #expect(zeroRows > 0 && zeroRows < 64)
  }

  @Test func addOutputsKeepsOldRowsAndHiddenLayers() {
    var rng = SeededGenerator(seed: 21)
    var m = MLP(inputSize: 5, hidden: [6], outputSize: 3, using: &rng)
    for i in m.parameters.indices { m.parameters[i] += 0.01 }
    let before = m
    m.addOutputs(2, using: &rng)
    #expect(m.outputSize == 5 && m.parameterCount == before.parameterCount + 2 * 7)
    #expect(
      m.weight(layer: 0) == before.weight(layer: 0) && m.bias(layer: 0) == before.bias(layer: 0))
    let w = m.weight(layer: 1)
    for r in 0..<3 { #expect(w.row(r) == before.weight(layer: 1).row(r)) }
    #expect(Array(m.bias(layer: 1).prefix(3)) == before.bias(layer: 1))
    #expect(m.bias(layer: 1).suffix(2) == [0, 0])
    #expect(w.row(3).contains { $0 != 0 })
    let x = Self.randomBatch(rows: 3, cols: 5, seed: 22)
    let old = before.logits(x)
    let new = m.logits(x)
    for r in 0..<3 { #expect(Array(new.row(r).prefix(3)) == old.row(r)) }
  }

  @Test func singleThreadedTrainingIsBitReproducible() {
    func run() -> [Float] {
      var rng = SeededGenerator(seed: 99)
      var m = MLP(inputSize: 30, hidden: [20, 20], outputSize: 4, dropout: 0.2, using: &rng)
      var adam = Adam()
      let workspace = MLPWorkspace()
      for step in 0..<20 {
        let x = Self.randomBatch(rows: 16, cols: 30, seed: UInt64(step))
        let y = (0..<16).map { ($0 + step) % 4 }
        _ = m.lossAndGradients(
          x, targets: .classes(y), loss: LossOptions(), training: true,
          workspace: workspace, using: &rng)
        adam.step(&m, workspace.gradients, learningRate: 1e-2)
      }
      return m.parameters
    }
    LinearAlgebra.withExactThreadCount(1) {
      #expect(run().map(\.bitPattern) == run().map(\.bitPattern))
    }
  }

  @Test func trainingLearnsASeparableProblem() {
    var rng = SeededGenerator(seed: 5)
    var m = MLP(inputSize: 4, hidden: [16], outputSize: 2, using: &rng)
    var adam = Adam()
    let workspace = MLPWorkspace()
    var x = Matrix(rows: 64, cols: 4)
    var y = [Int](repeating: 0, count: 64)
    for r in 0..<64 {
      for c in 0..<4 { x[r, c] = Float.random(in: -1...1, using: &rng) }
      y[r] = x[r, 0] + x[r, 1] > 0 ? 1 : 0
    }
    var first = 0.0
    var last = 0.0
    for step in 0..<300 {
      last = m.lossAndGradients(
        x, targets: .classes(y), loss: LossOptions(), training: true,
        workspace: workspace, using: &rng)
      if step == 0 { first = last }
      adam.step(&m, workspace.gradients, learningRate: 0.02)
    }
    #expect(last < first * 0.2)
    let p = m.probabilities(x, loss: .crossEntropy)
    let correct = (0..<64).filter { (p[$0, 1] > 0.5 ? 1 : 0) == y[$0] }.count
    #expect(correct >= 60)
  }
}

@Suite struct OpenBLASCoreTests {
  @Test func kernelsFollowTheCPUFlags() {
    let avx512: Set<Substring> = [
      "sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl",
    ]
    #expect(OpenBLASCore.coreType(cpuFlags: avx512) == "SkylakeX")
    #expect(OpenBLASCore.coreType(cpuFlags: avx512.subtracting(["avx512vl"])) == "Haswell")
    #expect(OpenBLASCore.coreType(cpuFlags: ["sse3", "avx", "avx2", "fma"]) == "Haswell")
    #expect(OpenBLASCore.coreType(cpuFlags: ["sse3", "avx", "avx2"]) == nil)
    #expect(OpenBLASCore.coreType(cpuFlags: []) == nil)
  }
}
