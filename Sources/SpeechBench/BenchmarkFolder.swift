import Foundation
import SpeechCommands

/// The input folder of a benchmark.
public enum BenchmarkFolder {
  /// Audio files directly or recursively under `directory`, in `AudioPaths` order (the files
  /// `classify` would see in that folder).
  public static func audioFiles(in directory: String, limit: Int? = nil) throws(BenchmarkError)
    -> [String]
  {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { throw .notAFolder(path: directory) }
    var files: [String] = []
    for item in AudioPaths(arguments: [directory]) {
      switch item {
      case .file(let path):
        files.append(path)
        if let limit, files.count >= limit { return files }
      case .problem: throw .noAudio(folder: directory)
      }
    }
    return files
  }
}
