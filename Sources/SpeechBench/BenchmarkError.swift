/// Errors of the benchmarks' inputs.
public enum BenchmarkError: Error, Equatable, CustomStringConvertible {
  /// The path is not a readable folder.
  case notAFolder(path: String)
  /// The folder holds no decodable audio file.
  case noAudio(folder: String)
  /// The split of the data holds no clip of any of the model's command words.
  case noCommandWords(data: String, split: String)
  /// The file a benchmark times cannot be classified; `reason` names it and says why.
  case unusableFile(reason: String)
  /// A timed command failed (exit `status`), so its time means nothing.
  case commandFailed(command: String, status: Int32)

  public var description: String {
    switch self {
    case .notAFolder(let path): "'\(path)' is not a folder"
    case .noAudio(let folder): "'\(folder)' holds no readable audio file"
    case .noCommandWords(let data, let split):
      "the \(split) split of '\(data)' holds no clip of the model's command words"
    case .unusableFile(let reason): reason
    case .commandFailed(let command, let status): "'\(command)' failed with exit status \(status)"
    }
  }
}
