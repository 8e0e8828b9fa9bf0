import Foundation

/// What one training epoch achieved; one line of `--log-json` and of `metrics.json`'s history.
public struct EpochRecord: Codable, Sendable, Equatable {
  /// 1-based epoch number.
  public var epoch: Int
  /// Mean training loss over the epoch's batches (on augmented clips, with dropout).
  public var trainLoss: Double
  /// Fraction of training clips classified correctly during the epoch (augmented, dropout on).
  public var trainAccuracy: Double
  /// Mean loss on the validation split after the epoch (nil without a validation split).
  public var validationLoss: Double?
  /// Validation accuracy after the epoch (nil without a validation split).
  public var validationAccuracy: Double?
  /// Learning rate used for the epoch's last batch.
  public var learningRate: Double
  /// Wall-clock seconds of the epoch (feature extraction included).
  public var seconds: Double
  /// Training samples per second of the epoch's optimisation steps.
  public var samplesPerSecond: Double

  public init(
    epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double?,
    validationAccuracy: Double?, learningRate: Double, seconds: Double, samplesPerSecond: Double
  ) {
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.trainAccuracy = trainAccuracy
    self.validationLoss = validationLoss
    self.validationAccuracy = validationAccuracy
    self.learningRate = learningRate
    self.seconds = seconds
    self.samplesPerSecond = samplesPerSecond
  }

  /// The record as one line of compact JSON (keys sorted), for `--log-json`.
  public func jsonLine() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
  }
}
