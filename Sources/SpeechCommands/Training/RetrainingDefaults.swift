import SpeechModel

/// The defaults `train --from` starts from, chosen by what of the old words is at hand: the old
/// recordings (`--data`), the old model's replay memory, or nothing but the old network.
/// Measured by `scripts/bench-retrain.sh` (README, "Retraining benchmark").
public enum RetrainingDefaults: Sendable, Equatable {
  /// Only the old network: distillation and the anchor hold the old words
  /// (`TrainingOptions.retraining`, `RetrainingOptions()`).
  case networkOnly
  /// The old model's replay memory is replayed: the old words have examples again, as with
  /// `--data`, so the `--data` hyperparameters (40 epochs, ±30% speed) and no anchor
  /// (`RetrainingOptions.withMemory`).
  case memory
  /// The old recordings are mixed in (`TrainingOptions.retrainingWithOldData`,
  /// `RetrainingOptions.withOldData`).
  case oldData

  /// The case for retraining the model at `path`: `.oldData` when `mixesOldData`, `.memory` when
  /// the model keeps a replay memory and `memoryRows` > 0, else `.networkOnly` (also when the
  /// model cannot be read: training then reports why).
  public init(model path: String, mixesOldData: Bool, memoryRows: Int) {
    if mixesOldData {
      self = .oldData
    } else if memoryRows > 0, (try? ModelFile.load(at: path))?.memory != nil {
      self = .memory
    } else {
      self = .networkOnly
    }
  }

  /// The hyperparameters.
  public var options: TrainingOptions {
    self == .networkOnly ? .retraining : .retrainingWithOldData
  }

  /// How the old model is kept.
  public var retraining: RetrainingOptions {
    switch self {
    case .networkOnly: return RetrainingOptions()
    case .memory: return .withMemory
    case .oldData: return .withOldData
    }
  }
}
