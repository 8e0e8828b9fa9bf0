import Foundation

/// Progress within an epoch, sent after every optimiser step.
public struct BatchProgress: Sendable, Equatable {
  /// 1-based epoch.
  public var epoch: Int
  /// Most epochs training will run.
  public var epochs: Int
  /// 1-based batch within the epoch.
  public var batch: Int
  /// Batches per epoch.
  public var batches: Int
  /// Mean training loss of the epoch so far.
  public var loss: Double
  /// Training accuracy of the epoch so far.
  public var accuracy: Double
  /// Training samples per second of the epoch so far.
  public var samplesPerSecond: Double
  /// Estimated seconds until the last epoch ends (if early stopping does not end it sooner).
  public var etaSeconds: Double
}

/// Why training ended.
public enum StopReason: Sendable, Equatable {
  /// All epochs ran.
  case completed
  /// Validation accuracy did not improve for `patience` epochs.
  case earlyStopped(patience: Int)
  /// The user pressed Ctrl-C (SIGINT).
  case interrupted
  /// The loss became NaN or infinite at this epoch and batch.
  case nonFinite(epoch: Int, batch: Int, loss: Double)

  /// A short phrase for messages and `metrics.json`.
  public var summary: String {
    switch self {
    case .completed: return "completed"
    case .earlyStopped(let p): return "early stop (no validation gain in \(p) epochs)"
    case .interrupted: return "interrupted"
    case .nonFinite(let e, let b, let l):
      return "loss became \(l) at epoch \(e) batch \(b)"
    }
  }
}

/// What the trainer reports while it runs; the command turns these into a progress bar or lines.
public enum TrainingEvent: Sendable {
  /// A phase of preparation started (listing, decoding, features), for a one-line status.
  case status(String)
  /// Training is about to start.
  case started(trainClips: Int, validationClips: Int, epochs: Int, batchesPerEpoch: Int)
  /// One optimiser step finished.
  case batch(BatchProgress)
  /// An epoch finished (validation included); `improved` when its weights are now the kept ones.
  case epoch(EpochRecord, improved: Bool)
  /// Training ended.
  case finished(StopReason, bestEpoch: Int?)
}
