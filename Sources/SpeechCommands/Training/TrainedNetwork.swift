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
  /// Whether and how the temperature was fitted.
  public var calibration: CalibrationOutcome = .off
  /// Why training ended.
  public var stop: StopReason
}

/// What became of temperature scaling (`TemperatureScaling`) on the validation split.
public enum CalibrationOutcome: Sendable, Equatable {
  /// Not asked for (`--no-calibrate`), or no validation clips.
  case off
  /// Fitted: the logit factor folded into the network.
  case fitted(Float)
  /// Skipped: this many validation clips say too little about how often the network is right
  /// (a retrained network then keeps the old model's calibration, folded into its weights).
  case tooFewClips(Int)
  /// Skipped: the fit ran to the end of the searched range (e.g. every validation clip right,
  /// so any larger factor looks better), which would make every probability 0 or 1.
  case unbounded(Float)

  /// Whether a temperature was fitted and folded in.
  public var isFitted: Bool {
    if case .fitted = self { return true }
    return false
  }

  /// Why calibration was skipped although asked for, for people; nil otherwise.
  public var skippedBecause: String? {
    switch self {
    case .off, .fitted: return nil
    case .tooFewClips(let n):
      return "\(n) validation clips are too few to fit a temperature on (at least "
        + "\(TemperatureScaling.minimumClips))"
    case .unbounded(let f):
      return String(
        format: "the fit on the validation clips ran to the end of its range (logit scale "
          + "%.2f; typically every validation clip is right), which would make every "
          + "probability 0 or 1", f)
    }
  }
}
