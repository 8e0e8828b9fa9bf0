/// Problems of training and evaluation that are not about the data.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
  /// An option value is out of range.
  case invalidOption(String)
  /// A model could not be loaded or used.
  case badModel(path: String, reason: String)
  /// The loss became NaN or infinite; `kept` is the epoch whose weights were saved, if any.
  /// (A lower learning rate or gradient clipping usually helps.)
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
        + saved
    case .interruptedBeforeFirstEpoch:
      return "interrupted before the first epoch finished; no model written"
    }
  }
}
