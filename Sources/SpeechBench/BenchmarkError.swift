/// Errors of the benchmarks' inputs.
public enum BenchmarkError: Error, Equatable, CustomStringConvertible {
  /// The path is not a readable folder.
  case notAFolder(path: String)
  /// The folder holds no decodable audio file.
  case noAudio(folder: String)
  /// A timed command failed (exit `status`), so its time means nothing.
  case commandFailed(command: String, status: Int32)

  public var description: String {
    switch self {
    case .notAFolder(let path): "'\(path)' is not a folder"
    case .noAudio(let folder): "'\(folder)' holds no readable audio file"
    case .commandFailed(let command, let status): "'\(command)' failed with exit status \(status)"
    }
  }
}
