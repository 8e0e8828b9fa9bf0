import Foundation
import SpeechModel

/// One retraining epoch's rows: the training clips (few-take labels repeated), the old model's
/// memory rows (if replayed), then background noise, each augmented afresh, with the old model's
/// soft targets.
struct RetrainingEpoch {
  /// Normalised features, rows × input size.
  var features: Matrix
  /// Class of each row; -1 for noise rows (distillation only).
  var labels: [Int]
  /// The old model's probabilities at the distillation temperature, rows × old outputs.
  var soft: [Float]
}

extension Trainer {
  /// Draws one retraining epoch: `plan.epochIndices` of `trainIdx` augmented like any training
  /// clip, `plan.replayRows` of the old model's memory, plus `plan.noiseRows` clips of background
  /// noise at a random volume (white noise when the data has none), then the old model's soft
  /// targets of all rows in one pass.
  func retrainingEpoch(
    _ plan: Retraining, _ trainIdx: [Int], inverted: Matrix, normaliser: FeatureStandardiser,
    using rng: inout SeededGenerator
  ) -> RetrainingEpoch {
    let truth = trainIdx.map { dataset.examples[$0].label }
    let rows = plan.epochIndices(
      trainIdx, truth: truth, classes: dataset.labels.count, using: &rng)
    var values = augmentedFeatures(rows, normaliser: normaliser, using: &rng)
    let memory = plan.replayRows(counts: dataset.classCounts(in: .train), using: &rng)
    values += memory.values
    let noiseCount = plan.noiseRows(besides: rows.count + memory.labels.count)
    values += noiseFeatures(noiseCount, normaliser: normaliser, using: &rng)
    let reversedRows = Array(
      rows.shuffled(using: &rng).prefix(plan.reversedRows(besides: rows.count)))
    values += augmentedFeatures(reversedRows, normaliser: normaliser, reversed: true, using: &rng)
    values += inverted.values
    let extra = noiseCount + reversedRows.count + inverted.rows
    let labelled = rows.map { dataset.examples[$0].label } + memory.labels
    let x = Matrix(rows: labelled.count + extra, cols: frontEnd.inputSize, values: values)
    let labels = labelled + [Int](repeating: -1, count: extra)
    let soft = plan.options.distillWeight > 0 ? plan.softTargets(x) : []
    return RetrainingEpoch(features: x, labels: labels, soft: soft)
  }

  /// `count` rows made by inverting the old model (`Retraining.inverted`), from augmented
  /// training clips (drawn in a seeded order, repeated as needed) towards old labels drawn
  /// uniformly.
  func invertedRows(
    _ plan: Retraining, _ trainIdx: [Int], count: Int, normaliser: FeatureStandardiser,
    using rng: inout SeededGenerator
  ) -> Matrix {
    guard count > 0, !trainIdx.isEmpty else { return Matrix(rows: 0, cols: frontEnd.inputSize) }
    var picks: [Int] = []
    while picks.count < count {
      picks += trainIdx.shuffled(using: &rng).prefix(count - picks.count)
    }
    let targets = picks.map { _ in Int.random(in: 0..<plan.oldOutputs, using: &rng) }
    let seeds = augmentedFeatures(picks, normaliser: normaliser, using: &rng)
    return plan.inverted(
      Matrix(rows: count, cols: frontEnd.inputSize, values: seeds), targets: targets)
  }

  /// Features of `count` noise clips, each from its own generator seeded from `rng`.
  func noiseFeatures(
    _ count: Int, normaliser: FeatureStandardiser, using rng: inout SeededGenerator
  ) -> [Float] {
    let seeds = (0..<count).map { _ in rng.next() }
    let d = frontEnd.inputSize
    let (fe, noise) = (frontEnd, dataset.noise)
    let length = frontEnd.config.clipSamples
    var values = Parallel.fillRows(rows: count, cols: d) { r, dest in
      var g = SeededGenerator(seed: seeds[r])
      let sources = noise.isEmpty ? [GeneratedNoise.uniform(length, using: &g)] : noise
      let clip = Augmenter.silenceClip(noise: sources, length: length, using: &g)
      let f = fe.features(fitted: clip)
      for c in 0..<d { dest[c] = f[c] }
    }
    normaliser.apply(to: &values, cols: d)
    return values
  }
}
