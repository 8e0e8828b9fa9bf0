import Foundation

/// Where recordings come from: a `DATA/<label>/` folder or a CSV manifest.
public enum DataSource: Sendable, Hashable, CustomStringConvertible {
  /// A folder laid out as `DATA/<label>/<file>`.
  case folder(String)
  /// A CSV manifest `path,label[,split]`.
  case manifest(String)

  /// The folder or manifest path.
  public var path: String {
    switch self {
    case .folder(let p), .manifest(let p): return p
    }
  }

  public var description: String { path }

  /// Lists the recordings (no audio is decoded).
  public func listing(rule: HashSplitRule) throws(DatasetError) -> DatasetListing {
    switch self {
    case .folder(let p): return try DatasetListing.scanFolder(at: p, rule: rule)
    case .manifest(let p): return try DatasetListing.readManifest(at: p, rule: rule)
    }
  }
}

/// Problems of training and evaluation that are not about the data.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// An option value is out of range.
  case invalidOption(String)
  /// A model could not be loaded or used.
  case badModel(path: String, reason: String)
  /// The loss became NaN or infinite; `kept` is the epoch whose weights were saved, if any.
  case diverged(epoch: Int, batch: Int, loss: Double, kept: Int?, output: String)
  /// Ctrl-C before any epoch finished: there is no model to save.
  case interruptedBeforeFirstEpoch

  public var description: String {
    switch self {
    case .invalidOption(let s): return s
    case .badModel(let path, let reason): return "model '\(path)': \(reason)"
    case .diverged(let epoch, let batch, let loss, let kept, let output):
      let saved =
        kept.map { "kept epoch \($0)'s weights in '\(output)'" }
        ?? "no epoch finished, no model written"
      return "training stopped: the loss became \(loss) at epoch \(epoch), batch \(batch); "
        + "\(saved). Lower the learning rate (--lr) or enable gradient clipping (--clip)"
    case .interruptedBeforeFirstEpoch:
      return "interrupted before the first epoch finished; no model written"
    }
  }
}
