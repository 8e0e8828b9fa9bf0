/// Why a model file could not be read or written. Each case names the file; the description is
/// one line (argument-parser prints it after "Error: ").
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or read (missing, a folder, no permission, too large).
  case unreadable(path: String, reason: String)
  /// The file could not be written (the folder is missing or read-only, the disk is full…).
  case unwritable(path: String, reason: String)
  /// The safetensors container itself is damaged: header length, header JSON, tensor offsets.
  case malformed(path: String, reason: String)
  /// The file is not a safetensors file at all (an audio file given as a model, say); `what`
  /// says what it looks like.
  case notAModel(path: String, what: String)
  /// A format version this build does not read.
  case unsupportedVersion(path: String, version: String)
  /// An entry of `__metadata__` is missing or wrong.
  case invalidMetadata(path: String, key: String, reason: String)
  /// A tensor is missing, unexpected, of the wrong type or shape, or holds NaN or infinity.
  case invalidTensor(path: String, name: String, reason: String)

  /// The file the error is about.
  public var path: String {
    switch self {
    case .unreadable(let path, _), .unwritable(let path, _), .malformed(let path, _),
      .notAModel(let path, _), .unsupportedVersion(let path, _), .invalidMetadata(let path, _, _),
      .invalidTensor(let path, _, _):
      return path
    }
  }

  public var description: String {
    switch self {
    case .unreadable(let path, let reason): return "cannot read model '\(path)': \(reason)"
    case .unwritable(let path, let reason): return "cannot write model '\(path)': \(reason)"
    case .malformed(let path, let reason): return "damaged model file '\(path)': \(reason)"
    case .notAModel(let path, let what): return "'\(path)' is not a speechcmd model: \(what)"
    case .unsupportedVersion(let path, _), .invalidMetadata(let path, _, _),
      .invalidTensor(let path, _, _):
      return "model '\(path)'\(problem.hasPrefix("has ") ? " " : ": ")\(problem)"
    }
  }

  /// What is wrong, without the file's name: for messages that name the file themselves
  /// ("cannot load model 'm.safetensors': …").
  public var problem: String {
    switch self {
    case .unreadable(_, let reason), .unwritable(_, let reason): return reason
    case .malformed(_, let reason): return "damaged file: \(reason)"
    case .notAModel(_, let what): return "not a speechcmd model: \(what)"
    case .unsupportedVersion(_, let version):
      return "has format version \(version); this speechcmd reads versions "
        + "\(ModelMetadata.currentFormatVersion)…\(ModelMetadata.convolutionFormatVersion) "
        + "(retrain or update speechcmd)"
    case .invalidMetadata(_, let key, let reason): return "metadata '\(key)' \(reason)"
    case .invalidTensor(_, let name, let reason): return "tensor '\(name)' \(reason)"
    }
  }
}
