import SpeechModel

/// Where training starts from.
public enum TrainingStart: Sendable {
  /// A freshly initialised network; normalisation fitted on the training split.
  case fresh
  /// An existing network (retraining): its normalisation is kept, and `addedOutputs` new classes
  /// are appended to its output layer (the old rows untouched).
  case from(MLP, FeatureStandardiser, addedOutputs: Int)
}

/// The result of `Trainer.train`.
public struct TrainedNetwork: Sendable {
  /// The kept (best-validation) network, or nil when no epoch finished.
  public var network: MLP?
  /// The normalisation the network expects.
  public var normaliser: FeatureStandardiser
  /// One record per finished epoch.
  public var history: [EpochRecord]
  /// The epoch whose weights were kept.
  public var bestEpoch: Int?
  /// The factor folded into the kept network's logits by temperature scaling on the validation
  /// split (1 when not calibrated).
  public var logitScale: Float = 1
  /// Why training ended.
  public var stop: StopReason
}
