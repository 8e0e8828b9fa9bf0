import Foundation

/// Why `classify` or `listen` could not start or could not read one of its inputs.
///
/// Per-file audio problems are not thrown: `BatchClassifier` reports them as
/// `FileResult.failed` and carries on with the other files. The description is one line naming
/// the file and the problem, without an "Error:" prefix (argument-parser adds one).
public enum ClassifyError: Error, Equatable, CustomStringConvertible {
  /// No `--model`, no `SPEECHCMD_MODEL`, and no demo model at any of `searched`.
  case modelNotFound(searched: [String])
  /// The model file could not be loaded (missing, corrupt, wrong format); `reason` is the loader's.
  case modelUnreadable(path: String, reason: String)
  /// The model loaded but its parts disagree (feature size, label count, normalisation length,
  /// an undecodable front-end configuration).
  case incompatibleModel(path: String, reason: String)
  /// A `--truth` file could not be read.
  case truthUnreadable(path: String, reason: String)
  /// A `--truth` line is not `label,time_seconds`; `line` is 1-based.
  case badTruthLine(path: String, line: Int, text: String)
  /// Standard input could not be read.
  case inputUnreadable(reason: String)
  /// An output file could not be written.
  case unwritable(path: String, reason: String)
  /// An option value outside its documented range.
  case invalidOption(String)

  public var description: String {
    switch self {
    case .modelNotFound(let searched):
      let places = searched.isEmpty ? "" : " (looked for \(searched.joined(separator: ", ")))"
      return "no model given: pass --model FILE or set SPEECHCMD_MODEL; the demo model "
        + "samples/model.safetensors was not found\(places)"
    case .modelUnreadable(let path, let reason):
      return "cannot load model '\(path)': \(reason)"
    case .incompatibleModel(let path, let reason):
      return "model '\(path)' is inconsistent: \(reason)"
    case .truthUnreadable(let path, let reason):
      return "cannot read truth file '\(path)': \(reason)"
    case .badTruthLine(let path, let line, let text):
      return "truth file '\(path)' line \(line): expected 'label,time_seconds', got '\(text)'"
    case .inputUnreadable(let reason):
      return "cannot read standard input: \(reason)"
    case .unwritable(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    case .invalidOption(let message):
      return message
    }
  }
}
