import Foundation

/// Problems with training or evaluation data, found before any training work starts.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
  /// The data folder or manifest does not exist or cannot be listed.
  case notFound(path: String)
  /// A data folder was expected and `path` is a file (a manifest given as DATA, say).
  case notAFolder(path: String)
  /// No audio file was found at all.
  case noAudio(path: String)
  /// A label folder (or a label of the model) has no usable clip.
  case emptyLabel(label: String, path: String)
  /// Training needs at least two classes.
  case tooFewLabels(path: String, labels: [String])
  /// `--words` names labels the data does not have.
  case wordsNotFound(path: String, words: [String], available: [String])
  /// More files could not be decoded than the allowed threshold; the first ones are listed.
  case tooManyUnreadable(count: Int, threshold: Int, files: [String])
  /// A manifest line is malformed.
  case badManifest(path: String, line: Int, reason: String)
  /// A split was asked for that has no clips (e.g. `--split test` on data without a test part).
  case emptySplit(path: String, split: String)
  /// A recording is in two of the data sources given.
  case givenTwice(file: String, again: String)
  /// A label folder's name cannot be a label (`LabelName.problem(with:)`).
  case badLabel(label: String, path: String, problem: String)
  /// The data has labels the model was not trained on (evaluation).
  case unknownLabels(path: String, labels: [String], modelLabels: [String])

  public var description: String {
    switch self {
    case .notFound(let path):
      return "'\(path)' does not exist or cannot be read"
    case .notAFolder(let path):
      return "'\(path)' is a file, not a data folder"
        + (PathName.fileExtension(of: path).lowercased() == "csv"
          ? " (for a CSV manifest, use --manifest)" : "")
    case .noAudio(let path):
      return "no audio files found in '\(path)' (expected DATA/<label>/*.wav or a manifest)"
    case .emptyLabel(let label, let path):
      return "label '\(label)' in '\(path)' has no usable audio clips"
    case .tooFewLabels(let path, let labels):
      let found = labels.isEmpty ? "none" : labels.joined(separator: ", ")
      return "'\(path)' has fewer than two labels (found: \(found)); training needs at least two"
    case .wordsNotFound(let path, let words, let available):
      return "--words names labels that '\(path)' does not have: \(words.joined(separator: ", "))"
        + " (available: \(available.joined(separator: ", ")))"
    case .tooManyUnreadable(let count, let threshold, let files):
      let shown = files.prefix(10).joined(separator: "; ")
      let more = files.count > 10 ? "; and \(files.count - 10) more" : ""
      return "\(count) audio files could not be read (more than the allowed \(threshold)): "
        + shown + more
    case .badManifest(let path, let line, let reason):
      return "manifest '\(path)' line \(line): \(reason)"
    case .emptySplit(let path, let split):
      return "'\(path)' has no clips in the \(split) split"
    case .givenTwice(let file, let again):
      return "'\(file)' is given twice (again in '\(again)'): give each recording once"
    case .badLabel(let label, let path, let problem):
      return
        "the label folder \(label.debugDescription.prefix(120)) in '\(path)' cannot be a label: "
        + "its name \(problem)"
    case .unknownLabels(let path, let labels, let modelLabels):
      return "'\(path)' has labels the model does not know: \(labels.joined(separator: ", "))"
        + " (model labels: \(modelLabels.joined(separator: ", ")))"
    }
  }
}
