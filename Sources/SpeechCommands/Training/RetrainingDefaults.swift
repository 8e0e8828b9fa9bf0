import SpeechModel

/// The defaults `train --from` starts from, chosen by what of the old words is at hand: the old
/// recordings (`--data`), the old model's replay memory (replayed when new words are added), or
/// nothing but the old network. Measured by `scripts/bench-retrain.sh` (README, "Retraining
/// benchmark").
public enum RetrainingDefaults: Sendable, Equatable {
  /// Only the old network: distillation and the anchor hold the old words
  /// (`TrainingOptions.retraining`, `RetrainingOptions()`). Also for new takes of old words
  /// only (personalisation), which the memory did not help (README).
  case networkOnly
  /// The old model's replay memory is replayed beside new words: the old words have examples
  /// again, as with `--data`, so the `--data` hyperparameters (40 epochs, ±30% speed) and no
  /// anchor (`RetrainingOptions.withMemory`).
  case memory
  /// The old recordings are mixed in (`TrainingOptions.retrainingWithOldData`,
  /// `RetrainingOptions.withOldData`).
  case oldData

  /// The case for retraining the model at `path` on `data`: `.oldData` when `mixesOldData`;
  /// `.memory` when the model keeps a replay memory, `memoryRows` > 0 and `data` has a label
  /// the model does not know (`replaysMemory`); else `.networkOnly` (also when the model or the
  /// data cannot be read: training then reports why).
  public init(model path: String, data: [DataSource], mixesOldData: Bool, memoryRows: Int) {
    if mixesOldData {
      self = .oldData
    } else if memoryRows > 0, let model = try? ModelFile.load(at: path),
      Self.replaysMemory(of: model, data: data)
    {
      self = .memory
    } else {
      self = .networkOnly
    }
  }

  /// Whether retraining `model` on `data` (without the old data) replays its memory: it keeps
  /// one and `data` adds a label. New takes of old words alone are learned as before.
  static func replaysMemory(of model: ModelFile, data: [DataSource]) -> Bool {
    guard model.memory != nil else { return false }
    let known = Set(model.metadata.labels)
    return data.contains { source in
      let labels = (try? source.listing(rule: HashSplitRule()))?.labels ?? []
      return labels.contains { !known.contains($0) }
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
