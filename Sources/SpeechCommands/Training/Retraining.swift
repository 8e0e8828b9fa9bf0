import Foundation
import SpeechModel

/// The old model's part in retraining (`train --from`): the epoch's rows (few-take labels
/// repeated, background noise added), the old model's probabilities as soft targets
/// (distillation), the anchor on the old weights and the new output rows' starting point.
///
/// Every draw comes from the trainer's seeded generator, so retraining is reproducible.
struct Retraining: Sendable {
  /// How strongly the old model is kept.
  let options: RetrainingOptions
  /// The old network as loaded: the teacher of distillation (its outputs are the old labels).
  let teacher: MLP
  /// Parameters of the network retraining starts from (the old weights in place): the anchor's
  /// reference.
  let reference: [Float]
  /// Ranges of the parameter layout the anchor holds: every hidden layer, and the old rows and
  /// biases of the output layer (new rows move freely).
  let anchored: [Range<Int>]

  /// The old model's memory replayed beside the new recordings (nil: none; see `replayRows`).
  let replay: ReplayMemory?

  /// Retraining of `start` (the old network with new output rows appended) from `teacher`,
  /// replaying `replay` if given.
  init(teacher: MLP, start: MLP, options: RetrainingOptions, replay: ReplayMemory? = nil) {
    self.options = options
    self.teacher = teacher
    self.replay = replay
    self.reference = start.parameters
    let last = start.layerCount - 1
    let inputs = start.layerShape(last).inputs
    let weights = start.weightOffset(last)
    let biases = start.biasOffset(last)
    anchored = [
      0..<(weights + teacher.outputSize * inputs), biases..<(biases + teacher.outputSize),
    ]
  }

  /// Outputs of the old network (the first outputs of the new one).
  var oldOutputs: Int { teacher.outputSize }

  /// Training rows per epoch of each class, given `counts[c]` training clips of class c: its
  /// `clipRows` plus its `memoryRows`.
  func sampledCounts(_ counts: [Int]) -> [Int] {
    zip(clipRows(counts), memoryRows(counts)).map(+)
  }

  /// Rows per epoch of each class's training clips: a class with clips gets at least
  /// `rowTarget`; classes without clips (old labels when the old data is absent) get none.
  func clipRows(_ counts: [Int]) -> [Int] {
    let target = rowTarget(counts)
    return counts.map { $0 > 0 ? max($0, target) : 0 }
  }

  /// The fewest rows per epoch of each source of a class (its clips, its memory rows): the
  /// larger of `minimumRowsPerLabel` and the median over classes of their clips and memory rows.
  func rowTarget(_ counts: [Int]) -> Int {
    let memory = replayCounts(classes: counts.count)
    let present = zip(counts, memory).map(+).filter { $0 > 0 }.sorted()
    guard !present.isEmpty else { return 0 }
    return max(options.minimumRowsPerLabel, present[present.count / 2])
  }

  /// Background-noise rows per epoch beside `rows` training rows.
  func noiseRows(besides rows: Int) -> Int {
    options.distillWeight > 0 ? Int((Double(rows) * options.noiseShare).rounded()) : 0
  }

  /// Time-reversed training rows per epoch beside `rows` training rows.
  func reversedRows(besides rows: Int) -> Int {
    options.distillWeight > 0 ? Int((Double(rows) * options.reversedShare).rounded()) : 0
  }

  /// Rows made by inverting the old model (see `inverted`), beside `rows` training rows; made
  /// once and used every epoch.
  func invertedRows(besides rows: Int) -> Int {
    options.distillWeight > 0 ? Int((Double(rows) * options.invertedShare).rounded()) : 0
  }

  /// Examples of the old labels made from the old model itself (model inversion): each row of
  /// `seeds` (normalised features) climbs the old model's log-probability of `targets[r]` by
  /// steps of length `options.inversionStep` (standardised feature units) along the gradient,
  /// until that probability reaches 0.9 or `options.inversionSteps` steps are done.
  ///
  /// Without the old data these stand in for the old words near the new recordings: their old
  /// model probabilities are soft targets with 0 for every new label, so a new word may not
  /// take over an old word that sounds alike.
  func inverted(_ seeds: Matrix, targets: [Int]) -> Matrix {
    let d = seeds.cols
    let k = oldOutputs
    var x = seeds.values
    var active = Array(0..<seeds.rows)
    let workspace = MLPWorkspace()
    for _ in 0..<options.inversionSteps where !active.isEmpty {
      var batch = [Float]()
      batch.reserveCapacity(active.count * d)
      for r in active { batch += x[(r * d)..<((r + 1) * d)] }
      var reached = Set<Int>()
      let (_, g) = teacher.inputGradients(
        Matrix(rows: active.count, cols: d, values: batch), workspace: workspace
      ) { logits, gradient in
        // −log p(target): gradient p − onehot; rows already there get none.
        var p = [Float](repeating: 0, count: k)
        for (i, r) in active.enumerated() {
          for c in 0..<k { p[c] = logits[i * k + c] }
          softmax(&p, row: 0, width: k, stride: k, scale: 1)
          let done = p[targets[r]] >= 0.9
          if done { reached.insert(r) }
          for c in 0..<k {
            gradient[i * k + c] = done ? 0 : p[c] - (c == targets[r] ? 1 : 0)
          }
        }
        return 0
      }
      for (i, r) in active.enumerated() where !reached.contains(r) {
        var norm: Float = 0
        for j in 0..<d { norm += g.values[i * d + j] * g.values[i * d + j] }
        guard norm > 0 else { continue }
        let step = options.inversionStep / norm.squareRoot()
        for j in 0..<d { x[r * d + j] -= step * g.values[i * d + j] }
      }
      active.removeAll { reached.contains($0) }
    }
    return Matrix(rows: seeds.rows, cols: d, values: x)
  }

  /// Dataset indices of one epoch's training rows: every clip of `trainIdx` once, then each
  /// class's clips again (a fresh seeded order each pass) until it has its `sampledCounts` rows.
  /// Each repeat is augmented afresh, so a few takes become many different rows.
  func epochIndices(
    _ trainIdx: [Int], truth: [Int], classes: Int, using rng: inout SeededGenerator
  ) -> [Int] {
    var byClass = [[Int]](repeating: [], count: classes)
    for (i, c) in zip(trainIdx, truth) { byClass[c].append(i) }
    var rows = trainIdx
    for (c, wanted) in clipRows(byClass.map(\.count)).enumerated() {
      var missing = wanted - byClass[c].count
      while missing > 0 {
        let pass = byClass[c].shuffled(using: &rng).prefix(missing)
        rows += pass
        missing -= pass.count
      }
    }
    return rows
  }

  /// The old model's probabilities at the distillation temperature, one row of `oldOutputs`
  /// per row of `x` (normalised features): the soft targets of one epoch, computed once.
  func softTargets(_ x: Matrix) -> [Float] {
    var t = Trainer.logits(teacher, x).values
    let k = oldOutputs
    let scale = 1 / options.temperature
    for r in 0..<x.rows {
      softmax(&t, row: r, width: k, stride: k, scale: scale)
    }
    return t
  }

  /// The batch loss and d(loss)/d(logits) (written to `gradient`, rows × classes):
  ///
  /// - hard labels (`labels[r] ≥ 0`): cross-entropy under `loss` (class weights, smoothing),
  ///   averaged over those rows;
  /// - plus distillWeight·T² × the mean over every row of the cross-entropy between the old
  ///   model's probabilities `soft` (rows × oldOutputs, temperature T) and the network's
  ///   softmax at temperature T — over the old outputs only for rows with a label (a new word
  ///   may win, the old words keep their relative scores), over all outputs for noise rows
  ///   (`labels[r] < 0`), whose target for every new label is 0.
  func batchLoss(
    logits: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, rows: Int,
    classes: Int, labels: [Int], soft: [Float], loss: LossOptions
  ) -> Double {
    gradient.update(repeating: 0, count: rows * classes)
    var total = 0.0
    let hard = (0..<rows).filter { labels[$0] >= 0 }
    if !hard.isEmpty {
      var z = [Float](repeating: 0, count: hard.count * classes)
      for (i, r) in hard.enumerated() {
        for c in 0..<classes { z[i * classes + c] = logits[r * classes + c] }
      }
      let ce = CrossEntropyLoss<Float>(
        classWeights: loss.classWeights, labelSmoothing: loss.labelSmoothing
      ).evaluate(logits: z, classes: classes, targets: hard.map { labels[$0] })
      total += Double(ce.value)
      for (i, r) in hard.enumerated() {
        for c in 0..<classes { gradient[r * classes + c] = ce.gradient[i * classes + c] }
      }
    }
    guard options.distillWeight > 0 else { return total }
    let t = options.temperature
    let k = oldOutputs
    let factor = options.distillWeight * t / Float(rows)  // λT² × (1/T from the chain rule) / N
    var distill = 0.0
    var p = [Float](repeating: 0, count: classes)
    for r in 0..<rows {
      let width = labels[r] >= 0 ? k : classes
      for c in 0..<width { p[c] = logits[r * classes + c] }
      softmax(&p, row: 0, width: width, stride: classes, scale: 1 / t)
      for c in 0..<width {
        let q: Float = c < k ? soft[r * k + c] : 0
        if q > 0 { distill -= Double(q) * Double(log(max(p[c], 1e-30))) }
        gradient[r * classes + c] += factor * (p[c] - q)
      }
    }
    return total + Double(options.distillWeight * t * t) * distill / Double(rows)
  }

  /// Balanced accuracy: the mean over the classes present in `truth` of the share of their
  /// clips predicted right. Old and new labels count equally, however many clips each has.
  static func balancedAccuracy(predicted: [Int], truth: [Int], classes: Int) -> Double {
    var right = [Int](repeating: 0, count: classes)
    var total = [Int](repeating: 0, count: classes)
    for (p, t) in zip(predicted, truth) {
      total[t] += 1
      if p == t { right[t] += 1 }
    }
    let recalls = (0..<classes).filter { total[$0] > 0 }.map {
      Double(right[$0]) / Double(total[$0])
    }
    return recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
  }

  /// `network` with the output row of each new class c set to the mean last-hidden-layer
  /// activation of its clips (`features`, normalised, with `truth`), scaled to the old rows' mean
  /// norm, and its bias to the old biases' mean ("weight imprinting", Qi et al. 2018): a new
  /// word starts out recognised instead of from random weights. Networks without hidden layers
  /// and classes without clips are left as they are.
  func imprinted(_ network: MLP, features: Matrix, truth: [Int]) -> MLP {
    guard let width = network.hidden.last, network.outputSize > oldOutputs else { return network }
    let last = network.layerCount - 1
    let body = MLP(
      inputSize: network.inputSize, convolution: network.convolution,
      hidden: Array(network.hidden.dropLast()), outputSize: width,
      parameters: Array(network.parameters[..<network.weightOffset(last)]))
    let h = Trainer.logits(body, features).values.map { max(0, $0) }  // the last ReLU layer
    let w = network.weightOffset(last)
    let b = network.biasOffset(last)
    var oldNorm: Float = 0
    for o in 0..<oldOutputs {
      oldNorm += norm(network.parameters[(w + o * width)..<(w + (o + 1) * width)])
    }
    oldNorm /= Float(oldOutputs)
    let oldBias = network.parameters[b..<(b + oldOutputs)].reduce(0, +) / Float(oldOutputs)
    var out = network
    for c in oldOutputs..<network.outputSize {
      let rows = truth.indices.filter { truth[$0] == c }
      guard !rows.isEmpty else { continue }
      var mean = [Float](repeating: 0, count: width)
      for r in rows {
        for j in 0..<width { mean[j] += h[r * width + j] }
      }
      let n = norm(mean[...])
      guard n > 0 else { continue }
      for j in 0..<width { out.parameters[w + c * width + j] = mean[j] / n * oldNorm }
      out.parameters[b + c] = oldBias
    }
    return out
  }

  private func norm(_ v: ArraySlice<Float>) -> Float {
    v.reduce(0) { $0 + $1 * $1 }.squareRoot()
  }
}

/// Replaces `width` values of row `row` of `v` (rows `stride` apart) by softmax(scale · z).
private func softmax(_ v: inout [Float], row: Int, width: Int, stride: Int, scale: Float) {
  let o = row * stride
  var m = -Float.infinity
  for c in 0..<width { m = max(m, scale * v[o + c]) }
  var sum: Float = 0
  for c in 0..<width {
    let e = exp(scale * v[o + c] - m)
    v[o + c] = e
    sum += e
  }
  for c in 0..<width { v[o + c] /= sum }
}
