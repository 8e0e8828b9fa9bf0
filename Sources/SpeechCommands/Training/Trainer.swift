import Foundation
import SpeechModel

/// The training loop: augmentation, mini-batch optimisation, validation and early stopping.
///
/// Deterministic: every random draw comes from one `SeededGenerator(seed:)` in a fixed order;
/// augmented clips draw from per-clip generators seeded serially, so parallel feature extraction
/// gives the same features as a serial run.
public struct Trainer: Sendable {
  /// The clips (decoded, fitted, in memory).
  public var dataset: LoadedDataset
  /// The front end that turns clips into features.
  public var frontEnd: FrontEnd
  /// Hyperparameters.
  public var options: TrainingOptions
  /// How a retrained network keeps the old model (used only when starting `.from` one).
  public var retraining = RetrainingOptions()
  /// The old model's memory, replayed every epoch when retraining (nil: none).
  public var replay: ReplayMemory?

  public init(dataset: LoadedDataset, frontEnd: FrontEnd, options: TrainingOptions) {
    self.dataset = dataset
    self.frontEnd = frontEnd
    self.options = options
  }

  /// Un-augmented features of `indices` (rows in that order), normalised by `normaliser` if given.
  public func features(of indices: [Int], normaliser: FeatureStandardiser?) -> Matrix {
    let d = frontEnd.inputSize
    let clips = dataset.clips
    let fe = frontEnd
    var values = Parallel.fillRows(rows: indices.count, cols: d) { r, dest in
      let f = fe.features(clip: clips[indices[r]])
      for c in 0..<d { dest[c] = f[c] }
    }
    normaliser?.apply(to: &values, cols: d)
    return Matrix(rows: indices.count, cols: d, values: values)
  }

  /// Trains and returns the best network. `observe` receives progress; `shouldStop` is polled
  /// between batches (Ctrl-C).
  public func train(
    start: TrainingStart, observe: (TrainingEvent) -> Void = { _ in },
    shouldStop: () -> Bool = { false }
  ) throws(DatasetError) -> TrainedNetwork {
    let trainIdx = dataset.indices(in: .train)
    let valIdx = dataset.indices(in: .validation)
    guard !trainIdx.isEmpty else { throw .emptySplit(path: "training data", split: "training") }
    var rng = SeededGenerator(seed: options.seed)
    let d = frontEnd.inputSize
    let classes = dataset.labels.count

    observe(.status("extracting features of \(dataset.examples.count) clips"))
    var network: MLP
    let normaliser: FeatureStandardiser
    var retrainer: Retraining?
    switch start {
    case .fresh:
      // Fitted on the clean training clips and one augmented draw of them: the network trains
      // on augmented clips, whose noise reaches frames that are silent in every clean clip.
      var fitRng = SeededGenerator(seed: options.seed ^ 0x6E6F_726D_616C_6973)  // "normalis"
      let clean = features(of: trainIdx, normaliser: nil)
      let sample = clean.values + augmentedFeatures(trainIdx, normaliser: nil, using: &fitRng)
      normaliser = FeatureStandardiser(fitting: sample, rows: 2 * clean.rows, cols: d)
      network = MLP(
        inputSize: d, convolution: options.frameConvolution(for: frontEnd),
        hidden: options.hidden, outputSize: classes, dropout: options.dropout, using: &rng)
    case .from(let old, let oldNormaliser, let added):
      normaliser = oldNormaliser
      network = old
      network.addOutputs(added, using: &rng)
      network.dropout = options.dropout
      let plan = Retraining(teacher: old, start: network, options: retraining, replay: replay)
      if retraining.imprint {
        network = plan.imprinted(
          network, features: features(of: trainIdx, normaliser: normaliser),
          truth: trainIdx.map { dataset.examples[$0].label })
      }
      retrainer = plan
    }
    let validation = features(of: valIdx, normaliser: normaliser)
    let valTruth = valIdx.map { dataset.examples[$0].label }

    let trainTruth = trainIdx.map { dataset.examples[$0].label }
    var trainCounts = dataset.classCounts(in: .train)
    var epochRows = trainIdx.count
    var inverted = Matrix(rows: 0, cols: d)
    if let plan = retrainer {
      let clipRows = plan.clipRows(trainCounts).reduce(0, +)
      trainCounts = plan.sampledCounts(trainCounts)
      let rows = trainCounts.reduce(0, +)
      epochRows = rows + plan.noiseRows(besides: rows) + plan.reversedRows(besides: clipRows)
      inverted = invertedRows(
        plan, trainIdx, count: plan.invertedRows(besides: rows), normaliser: normaliser, using: &rng
      )
      epochRows += inverted.rows
    }
    let batch = min(options.batchSize, epochRows)
    let steps = (epochRows + batch - 1) / batch
    let schedule = options.makeSchedule(stepsPerEpoch: steps)
    var optimizer = options.makeOptimizer()
    let lossOptions = options.lossOptions(counts: trainCounts)
    let workspace = MLPWorkspace()
    var average = options.weightAverageDecay.map { WeightAverage(decay: $0, network: network) }

    observe(
      .started(
        trainClips: trainIdx.count, validationClips: valIdx.count, epochs: options.epochs,
        batchesPerEpoch: steps))
    var history: [EpochRecord] = []
    var best: (network: MLP, epoch: Int, accuracy: Double, loss: Double)?
    var stop = StopReason.completed
    var step = 0
    let runStart = Date()

    var rows: RetrainingEpoch?
    epochs: for epoch in 1...options.epochs {
      let epochStart = Date()
      let x: [Float]
      if let plan = retrainer {
        // Retraining's rows (many augmented copies of a few takes) are drawn afresh every
        // `redrawEpochs` epochs and reused in between: most of the cost is their features.
        if rows == nil || (epoch - 1) % plan.options.redrawEpochs == 0 {
          rows = retrainingEpoch(
            plan, trainIdx, inverted: inverted, normaliser: normaliser, using: &rng)
        }
        x = rows!.features.values
      } else {
        x = augmentedFeatures(trainIdx, normaliser: normaliser, using: &rng)
      }
      let truth = rows?.labels ?? trainTruth
      let order = Array(0..<truth.count).shuffled(using: &rng)
      var lossSum = 0.0
      var correct = 0
      var seen = 0
      var optimiseSeconds = 0.0
      var lr: Float = 0
      for b in 0..<steps {
        if shouldStop() {
          stop = .interrupted
          break epochs
        }
        let batchRows = Array(order[(b * batch)..<min(order.count, (b + 1) * batch)])
        var values = [Float](repeating: 0, count: batchRows.count * d)
        for (i, r) in batchRows.enumerated() {
          for c in 0..<d { values[i * d + c] = x[r * d + c] }
        }
        let labels = batchRows.map { truth[$0] }
        let t0 = Date()
        let loss: Double
        if let plan = retrainer, let epochRows = rows {
          let input = Matrix(rows: batchRows.count, cols: d, values: values)
          let soft =
            epochRows.soft.isEmpty
            ? []
            : batchRows.flatMap { r in
              epochRows.soft[(r * plan.oldOutputs)..<((r + 1) * plan.oldOutputs)]
            }
          loss = network.lossAndGradients(
            input, training: true, workspace: workspace, using: &rng
          ) { logits, gradient in
            plan.batchLoss(
              logits: logits, gradient: gradient, rows: labels.count, classes: classes,
              labels: labels, soft: soft, loss: lossOptions)
          }
          workspace.addAnchorGradient(
            model: network, reference: plan.reference, ranges: plan.anchored,
            strength: plan.options.anchor)
        } else {
          let targets: Targets =
            options.mixupAlpha > 0
            ? .probabilities(
              Mixup.mix(
                &values, cols: d, labels: labels, classes: classes, alpha: options.mixupAlpha,
                using: &rng))
            : .classes(labels)
          loss = network.lossAndGradients(
            Matrix(rows: batchRows.count, cols: d, values: values), targets: targets,
            loss: lossOptions, training: true, workspace: workspace, using: &rng)
        }
        guard loss.isFinite else {
          stop = .nonFinite(epoch: epoch, batch: b + 1, loss: loss)
          break epochs
        }
        if let clip = options.gradientClip { workspace.clipGradients(globalNorm: clip) }
        lr = schedule.rate(at: step)
        optimizer.step(&network, workspace.gradients, learningRate: lr)
        average?.update(with: network)
        optimiseSeconds += Date().timeIntervalSince(t0)
        step += 1
        let predicted = argmax(workspace.logits)
        let scored = labels.filter { $0 >= 0 }.count
        correct += zip(predicted, labels).filter { $0 == $1 }.count
        lossSum += loss * Double(scored)
        seen += scored
        let elapsed = Date().timeIntervalSince(runStart)
        let done = Double(epoch - 1) + Double(b + 1) / Double(steps)
        observe(
          .batch(
            BatchProgress(
              epoch: epoch, epochs: options.epochs, batch: b + 1, batches: steps,
              loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
              samplesPerSecond: Double(seen) / max(optimiseSeconds, 1e-9),
              etaSeconds: elapsed / done * (Double(options.epochs) - done))))
      }
      var record = EpochRecord(
        epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
        trainAccuracy: Double(correct) / Double(max(seen, 1)), validationLoss: nil,
        validationAccuracy: nil, learningRate: Double(lr), seconds: 0,
        samplesPerSecond: Double(seen) / max(optimiseSeconds, 1e-9))
      var score: Double?
      let candidate = average?.averaged(network) ?? network
      if !valIdx.isEmpty {
        let (vLoss, vAcc, balanced) = evaluate(candidate, validation, truth: valTruth)
        record.validationLoss = vLoss
        record.validationAccuracy = vAcc
        // Retraining keeps the epoch with the best balanced accuracy: a new word with a few
        // validation clips counts as much as an old one with hundreds. Those few clips make
        // ties common; a tie goes to the later (longer trained) epoch.
        score = retrainer == nil ? vAcc : balanced
      }
      // Without a validation split, or keeping the last epoch, every epoch replaces the kept one.
      var improved = true
      if options.kept == .best, let s = score, let b = best {
        improved =
          retrainer == nil
          ? s > b.accuracy || (s == b.accuracy && (record.validationLoss ?? 0) < b.loss)
          : s >= b.accuracy
      }
      if improved {
        best = (candidate, epoch, score ?? 0, record.validationLoss ?? 0)
      }
      record.seconds = Date().timeIntervalSince(epochStart)
      history.append(record)
      observe(.epoch(record, improved: improved))
      if options.patience > 0, let b = best, epoch - b.epoch >= options.patience {
        stop = .earlyStopped(patience: options.patience)
        break
      }
    }
    observe(.finished(stop, bestEpoch: best?.epoch))
    var kept = best?.network
    var logitScale: Float = 1
    var calibration = CalibrationOutcome.off
    if options.calibrate, !valIdx.isEmpty, var network = kept {
      if valIdx.count < TemperatureScaling.minimumClips {
        calibration = .tooFewClips(valIdx.count)
      } else {
        let logits = Trainer.logits(network, validation)
        let factor = TemperatureScaling.fit(
          logits: logits.values, classes: logits.cols, targets: valTruth, loss: options.loss)
        if TemperatureScaling.isAtRangeEnd(factor) {
          calibration = .unbounded(factor)
        } else {
          logitScale = factor
          network.scaleLogits(by: factor)
          kept = network
          calibration = .fitted(factor)
        }
      }
    }
    return TrainedNetwork(
      network: kept, normaliser: normaliser, history: history, bestEpoch: best?.epoch,
      logitScale: logitScale, calibration: calibration, stop: stop)
  }

  /// One epoch's training features: each clip augmented from its own generator (seeded from
  /// `rng` in clip order), features extracted on all cores, then normalised.
  func augmentedFeatures(
    _ indices: [Int], normaliser: FeatureStandardiser?, reversed: Bool = false,
    using rng: inout SeededGenerator
  ) -> [Float] {
    let seeds = indices.map { _ in rng.next() }
    let d = frontEnd.inputSize
    let (clips, examples, noise) = (dataset.clips, dataset.examples, dataset.noise)
    let (fe, aug) = (frontEnd, options.augmentation)
    let rate = frontEnd.config.sampleRate
    let length = frontEnd.config.clipSamples
    var values = Parallel.fillRows(rows: indices.count, cols: d) { r, dest in
      var g = SeededGenerator(seed: seeds[r])
      let i = indices[r]
      let source =
        examples[i].isGeneratedSilence && !noise.isEmpty
        ? Augmenter.silenceClip(noise: noise, length: length, using: &g) : clips[i]
      let clip = Augmenter.augment(
        source, options: aug, sampleRate: rate, noise: noise, refit: { fe.fitClip($0) }, using: &g)
      let f = fe.features(fitted: reversed ? clip.reversed() : clip)
      for c in 0..<d { dest[c] = f[c] }
    }
    if let normaliser {
      normaliser.apply(to: &values, cols: d)
      FeatureMasker.mask(
        rows: &values, frames: fe.frames, perFrame: fe.coefficients,
        groups: fe.coefficients / fe.config.mfcc.coefficients, options: options.featureMasks,
        seeds: seeds)
    }
    return values
  }

  /// Mean unweighted loss, accuracy and balanced accuracy (mean recall over the classes
  /// present) of `network` on normalised features.
  func evaluate(_ network: MLP, _ x: Matrix, truth: [Int]) -> (
    loss: Double, accuracy: Double, balancedAccuracy: Double
  ) {
    let logits = Trainer.logits(network, x)
    let predicted = argmax(logits)
    let accuracy = Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(truth.count)
    let loss = options.loss.meanLoss(logits: logits.values, classes: logits.cols, targets: truth)
    let balanced = Retraining.balancedAccuracy(
      predicted: predicted, truth: truth, classes: logits.cols)
    return (loss, accuracy, balanced)
  }

  /// Logits of every row of `x`, computed in chunks of 1024 rows.
  static func logits(_ network: MLP, _ x: Matrix) -> Matrix {
    let workspace = MLPWorkspace()
    var out: [Float] = []
    out.reserveCapacity(x.rows * network.outputSize)
    var start = 0
    while start < x.rows {
      let end = min(x.rows, start + 1024)
      let chunk = Matrix(
        rows: end - start, cols: x.cols, values: Array(x.values[(start * x.cols)..<(end * x.cols)]))
      out += network.logits(chunk, workspace: workspace).values
      start = end
    }
    return Matrix(rows: x.rows, cols: network.outputSize, values: out)
  }
}

/// Index of the largest value of each row (the first on ties).
func argmax(_ m: Matrix) -> [Int] {
  (0..<m.rows).map { r in
    var best = 0
    var value = m.values[r * m.cols]
    for c in 1..<max(1, m.cols) where m.values[r * m.cols + c] > value {
      value = m.values[r * m.cols + c]
      best = c
    }
    return best
  }
}
