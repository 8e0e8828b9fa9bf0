import Foundation
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// The pieces of retraining, each against figures worked out by hand or numerically.
@Suite struct RetrainingPartsTests {
  /// A 3-input network with 2 old outputs, and the same with a third output appended.
  static func networks() -> (old: MLP, start: MLP) {
    var rng = SeededGenerator(seed: 5)
    let old = MLP(inputSize: 3, hidden: [4], outputSize: 2, using: &rng)
    var start = old
    start.addOutputs(1, using: &rng)
    return (old, start)
  }

  @Test func fewTakeLabelsTrainOnAllButTwoTakesOfWholeSpeakers() {
    let many = (0..<60).map {
      Recording(path: "d/yes/s\($0)_nohash_0.wav", label: "yes", split: .test)
    }
    let few = (0..<15).map {
      Recording(path: "d/stop/p\($0)_nohash_0.wav", label: "stop", split: $0 < 5 ? .test : .train)
    }
    let one = (0..<15).map {
      Recording(path: "d/mine/me_nohash_\($0).wav", label: "mine", split: .validation)
    }
    let listing = DatasetListing(
      source: "d", recordings: many + few + one, noiseFiles: [], skipped: [])
    let split = FewTakeSplit.apply(to: listing)
    func count(_ label: String, _ s: DatasetSplit) -> Int {
      split.recordings.filter { $0.label == label && $0.split == s }.count
    }
    #expect(count("yes", .test) == 60)  // 60 takes: not a few, left as they were
    #expect(count("stop", .validation) == 2 && count("stop", .train) == 13)
    #expect(count("stop", .test) == 0)
    #expect(count("mine", .validation) == 2 && count("mine", .train) == 13)
    #expect(FewTakeSplit.validationTakes(1) == 0 && FewTakeSplit.validationTakes(39) == 4)
    // Deterministic and independent of the input order.
    let reversed = DatasetListing(
      source: "d", recordings: (many + few + one).reversed(), noiseFiles: [], skipped: [])
    #expect(FewTakeSplit.apply(to: reversed) == split)
  }

  /// Retraining with `--validation-percent 0` trains on every take, few or not; with the default
  /// share, a label with six takes keeps two for validation.
  @Test func noValidationAskedKeepsEveryFewTakeInTraining() throws {
    let models = try TemporaryFolder()
    let old = models.path + "/old.safetensors"
    try SyntheticFixture.model.save(to: old)
    let dir = try TwoWordFolder.make(takes: 6)
    var job = TwoWordFolder.job(dir)
    job.fromModel = old
    let all = try TrainingSession(job)
    #expect(all.dataset.indices(in: .train).count == 12)
    #expect(all.dataset.indices(in: .validation).isEmpty)
    job.split = HashSplitRule()
    let resplit = try TrainingSession(job)
    #expect(resplit.dataset.indices(in: .validation).count == 4)
    #expect(resplit.dataset.indices(in: .train).count == 8)
  }

  @Test func fewTakeLabelsAreRepeatedUpToTheMedianOrTheMinimum() {
    var options = RetrainingOptions()
    options.minimumRowsPerLabel = 128
    let plan = Retraining(
      teacher: Self.networks().old, start: Self.networks().start, options: options)
    #expect(plan.sampledCounts([200, 150, 13, 0]) == [200, 150, 150, 0])
    #expect(plan.sampledCounts([13, 13, 13]) == [128, 128, 128])
    #expect(plan.noiseRows(besides: 400) == 100)

    let trainIdx = Array(10..<30)  // class 0: 16 clips, class 1: 4 clips
    let truth = trainIdx.map { $0 < 26 ? 0 : 1 }
    var rng = SeededGenerator(seed: 1)
    let rows = plan.epochIndices(trainIdx, truth: truth, classes: 3, using: &rng)
    #expect(rows.count == 256)
    #expect(rows.filter { $0 >= 26 }.count == 128)
    #expect(Set(rows) == Set(trainIdx))
    // Each of the 4 clips of class 1 is used 32 times.
    #expect((26..<30).allSatisfy { i in rows.filter { $0 == i }.count == 32 })
  }

  /// The old data's defaults differ from retraining without it in the measured settings only:
  /// 40 epochs, ±30% speed, no anchor and the new labels' bias (distillation stays on).
  @Test func oldDataDefaultsDifferOnlyInEpochsSpeedAnchorAndNewLabelBias() {
    var options = TrainingOptions.retrainingWithOldData
    #expect(options.epochs == 40 && options.augmentation.speedPerturbation == 0.3)
    let alone = TrainingOptions.retraining
    options.epochs = alone.epochs
    options.augmentation.speedPerturbation = alone.augmentation.speedPerturbation
    #expect(options == alone)
    var retraining = RetrainingOptions.withOldData
    #expect(
      retraining.distillWeight == 1 && retraining.anchor == 0 && retraining.newLabelBias == 1.25)
    retraining.anchor = RetrainingOptions().anchor
    retraining.newLabelBias = RetrainingOptions().newLabelBias
    retraining.redrawEpochs = RetrainingOptions().redrawEpochs
    #expect(retraining == RetrainingOptions())
  }

  @Test func balancedAccuracyCountsEveryLabelEqually() {
    // Class 0: 8 of 10 right; class 1: 1 of 2 right; class 2 absent.
    let truth = [Int](repeating: 0, count: 10) + [1, 1]
    let predicted = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2] + [1, 0]
    let b = Retraining.balancedAccuracy(predicted: predicted, truth: truth, classes: 3)
    #expect(abs(b - (0.8 + 0.5) / 2) < 1e-12)
  }

  /// The analytic gradient of the batch loss (hard labels, distillation on old outputs, noise
  /// rows over all outputs) against central differences of the loss itself.
  @Test func batchLossGradientMatchesFiniteDifferences() {
    let (old, start) = Self.networks()
    var options = RetrainingOptions()
    options.temperature = 2
    options.distillWeight = 0.7
    let plan = Retraining(teacher: old, start: start, options: options)
    let classes = 3
    let labels = [0, 2, -1]
    let soft: [Float] = [0.7, 0.3, 0.2, 0.8, 0.6, 0.4]
    let loss = LossOptions(classWeights: [1, 2, 0.5], labelSmoothing: 0.1)
    var z: [Float] = [0.3, -1.2, 0.8, 1.5, 0.1, -0.4, -0.2, 0.9, 0.4]
    func value(_ z: [Float]) -> (Double, [Float]) {
      var g = [Float](repeating: 0, count: z.count)
      let v = z.withUnsafeBufferPointer { zp in
        g.withUnsafeMutableBufferPointer { gp in
          plan.batchLoss(
            logits: zp.baseAddress!, gradient: gp.baseAddress!, rows: 3, classes: classes,
            labels: labels, soft: soft, loss: loss)
        }
      }
      return (v, g)
    }
    let (_, g) = value(z)
    for i in z.indices {
      let h: Float = 1e-2
      let saved = z[i]
      z[i] = saved + h
      let up = value(z).0
      z[i] = saved - h
      let down = value(z).0
      z[i] = saved
      let numeric = (up - down) / Double(2 * h)
      #expect(abs(numeric - Double(g[i])) < 2e-3, "logit \(i): \(numeric) vs \(g[i])")
    }
  }

  @Test func anchorPullsOnlyTheOldWeightsBack() {
    let (old, start) = Self.networks()
    let plan = Retraining(teacher: old, start: start, options: RetrainingOptions())
    var moved = start
    for i in moved.parameters.indices { moved.parameters[i] += 1 }
    let workspace = MLPWorkspace()
    var rng = SeededGenerator(seed: 0)
    _ = moved.lossAndGradients(
      Matrix(rows: 1, cols: 3, values: [0, 0, 0]), training: false, workspace: workspace,
      using: &rng
    ) { _, gradient in
      gradient.update(repeating: 0, count: 3)
      return 0
    }
    workspace.addAnchorGradient(
      model: moved, reference: plan.reference, ranges: plan.anchored, strength: 0.3)
    let g = workspace.gradients.values
    let w = start.weightOffset(1)
    let b = start.biasOffset(1)
    for i in g.indices {
      let isNewRow = (w + 2 * 4..<w + 3 * 4).contains(i) || i == b + 2
      #expect(abs(g[i] - (isNewRow ? 0 : 0.3)) < 1e-6, "parameter \(i)")
    }
  }

  /// Model inversion: every row ends where the old model gives its target label p ≥ 0.9.
  @Test func invertedRowsAreWhatTheOldModelCallsTheirTarget() {
    var generator = SeededGenerator(seed: 8)
    let old = MLP(inputSize: 3, hidden: [16], outputSize: 2, using: &generator)
    var start = old
    start.addOutputs(1, using: &generator)
    var options = RetrainingOptions()
    options.inversionSteps = 200
    options.inversionStep = 0.5
    let plan = Retraining(teacher: old, start: start, options: options)
    var rng = SeededGenerator(seed: 3)
    let seeds = Matrix(
      rows: 6, cols: 3, values: (0..<18).map { _ in Float(rng.nextUnitDouble() * 2 - 1) })
    let targets = [0, 1, 0, 1, 1, 0]
    let x = plan.inverted(seeds, targets: targets)
    let p = old.probabilities(x, loss: .crossEntropy)
    for (r, t) in targets.enumerated() {
      #expect(p.values[r * 2 + t] >= 0.9, "row \(r): p = \(p.values[r * 2 + t])")
    }
  }

  /// The input gradient against central differences of the loss.
  @Test func inputGradientsMatchFiniteDifferences() {
    let (old, _) = Self.networks()
    let weights: [Float] = [0.7, -1.3]
    func loss(_ x: [Float]) -> (Double, [Float]) {
      let (value, g) = old.inputGradients(
        Matrix(rows: 1, cols: 3, values: x), workspace: MLPWorkspace()
      ) { logits, gradient in
        gradient[0] = weights[0]
        gradient[1] = weights[1]
        return Double(weights[0] * logits[0] + weights[1] * logits[1])
      }
      return (value, g.values)
    }
    var x: [Float] = [0.4, -0.2, 0.9]
    let (_, g) = loss(x)
    for i in x.indices {
      let saved = x[i]
      x[i] = saved + 1e-2
      let up = loss(x).0
      x[i] = saved - 1e-2
      let down = loss(x).0
      x[i] = saved
      #expect(abs((up - down) / 2e-2 - Double(g[i])) < 1e-3, "input \(i)")
    }
  }
}
