import Foundation
import SpeechCommands
import SpeechFeatures
import SpeechModel

extension SyntheticWords {
  /// A small, cheap front end for synthetic words: 8 kHz, 1 s clips, 25 ms frames every 20 ms,
  /// 20 mel bands, 13 coefficients (50 × 13 = 650 features). Fast even in a debug build.
  public static var frontEndConfig: FrontEndConfig {
    var mfcc = MFCCConfig()
    mfcc.sampleRate = 8000
    mfcc.windowLength = 200
    mfcc.hopLength = 160
    mfcc.fftLength = 256
    mfcc.melBands = 20
    mfcc.maxFrequency = 3900
    return FrontEndConfig(mfcc: mfcc, clipSeconds: 1)
  }

  /// Trains a small model (one hidden layer) to tell the synthetic words apart, for tests and
  /// demonstrations that need a working model in seconds; `labels` order, cross-entropy.
  ///
  /// `clipsPerLabel` random clips of each label are featurised with `config`, standardised with a
  /// fitted `FeatureStandardiser`, and fitted with Adam in shuffled batches. Features are extracted once, so training takes a few
  /// seconds even in a debug build (a few hundred Adam steps).
  /// Deterministic for a given seed.
  public static func trainModel(
    config: FrontEndConfig = frontEndConfig, clipsPerLabel: Int = 80, hidden: [Int] = [64],
    epochs: Int = 30, batchSize: Int = 100, learningRate: Float = 0.005, seed: UInt64 = 1
  ) throws -> ModelFile {
    var rng = SeededGenerator(seed: seed)
    let frontEnd = try FrontEnd(config: config)
    var features: [Float] = []
    var targets: [Int] = []
    for _ in 0..<clipsPerLabel {
      for (index, label) in labels.enumerated() {
        let clip = self.clip(
          label, seconds: config.clipSeconds, sampleRate: config.sampleRate, using: &rng)
        features += frontEnd.features(clip: clip)
        targets.append(index)
      }
    }
    let cols = frontEnd.inputSize
    let normaliser = FeatureStandardiser(fitting: features, rows: targets.count, cols: cols)
    normaliser.apply(to: &features, cols: cols)

    var network = MLP(inputSize: cols, hidden: hidden, outputSize: labels.count, using: &rng)
    var optimizer = Adam()
    var order = Array(targets.indices)
    for _ in 0..<epochs {
      order.shuffle(using: &rng)
      for start in stride(from: 0, to: order.count, by: batchSize) {
        let rows = Array(order[start..<min(start + batchSize, order.count)])
        var x: [Float] = []
        x.reserveCapacity(rows.count * cols)
        for r in rows { x += features[(r * cols)..<((r + 1) * cols)] }
        let (_, _, gradients) = network.lossAndGradients(
          Matrix(rows: rows.count, cols: cols, values: x),
          targets: .classes(rows.map { targets[$0] }),
          loss: LossOptions(), training: true, using: &rng)
        optimizer.step(&network, gradients, learningRate: learningRate)
      }
    }
    let metadata = ModelMetadata(
      labels: labels, featureConfig: try config.jsonString(), inputMean: normaliser.mean,
      inputStd: normaliser.std, architecture: ModelArchitecture(network),
      training: ["data": "synthetic words", "epochs": "\(epochs)", "seed": "\(seed)"])
    return ModelFile(network: network, metadata: metadata)
  }
}
