/// Why a model could not be found or used for classification (`ModelLocator`, `Classifier`).
///
/// Per-file audio problems are not thrown: `BatchClassifier` reports them as
/// `FileResult.failed` and carries on with the other files. The description is one line naming
/// the file and the problem.
public enum ModelLoadError: Error, Equatable, CustomStringConvertible {
  /// No model was named and there is no demo model at any of `searched`.
  case modelNotFound(searched: [String])
  /// The model file could not be loaded (missing, corrupt, wrong format); `reason` is the loader's.
  case modelUnreadable(path: String, reason: String)
  /// The model loaded but its parts disagree (feature size, label count, normalisation length,
  /// an undecodable front-end configuration).
  case incompatibleModel(path: String, reason: String)

  public var description: String {
    switch self {
    case .modelNotFound(let searched):
      return "no model given and the demo model samples/model.safetensors was not found"
        + Self.places(searched)
    case .modelUnreadable(let path, let reason):
      return "cannot load model '\(path)': \(reason)"
    case .incompatibleModel(let path, let reason):
      return "model '\(path)' is inconsistent: \(reason)"
    }
  }

  /// The problem without the file's name, for errors that name the file themselves.
  public var reason: String {
    switch self {
    case .modelNotFound: return description
    case .modelUnreadable(_, let reason), .incompatibleModel(_, let reason): return reason
    }
  }

  /// " (looked for a, b)", or "" when nothing was searched.
  public static func places(_ searched: [String]) -> String {
    searched.isEmpty ? "" : " (looked for \(searched.joined(separator: ", ")))"
  }
}
