import Foundation
import Synchronization

/// A fresh, empty folder under the system's temporary directory, removed with everything in it
/// when the last reference goes away: the one scratch-folder helper of every test target.
public final class TemporaryFolder: @unchecked Sendable {
  /// The folder's absolute path (no trailing slash).
  public let path: String
  /// The folder as a file URL.
  public var url: URL { URL(fileURLWithPath: path) }

  /// Creates `<tmp>/<prefix>-<UUID>`.
  public init(_ prefix: String = "speechcmd-test") throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// A folder for the whole test process (a `static let` fixture), removed when the process
  /// exits: statics are never deinitialised, so their folders were left in the temporary
  /// directory after every run.
  public static func forProcess(_ prefix: String = "speechcmd-test") throws -> TemporaryFolder {
    let folder = try TemporaryFolder(prefix)
    ProcessFolders.keep(folder)
    return folder
  }

  /// `path + "/" + name`.
  public func file(_ name: String) -> String { path + "/" + name }

  /// Creates `relative` (and its parents) holding `text`.
  public func write(_ relative: String, _ text: String) throws {
    let full = file(relative)
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: full, atomically: false, encoding: .utf8)
  }

  /// The names in the folder, sorted (a leftover temporary file shows up here).
  public func names() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The process-lifetime folders' paths, removed by an `atexit` handler registered with the first
/// (the folders themselves stay referenced by their statics, so they are removed by path).
private enum ProcessFolders {
  static let paths = Mutex<[String]?>(nil)

  static func keep(_ folder: TemporaryFolder) {
    paths.withLock { list in
      if list == nil {
        list = []
        atexit {
          for path in ProcessFolders.paths.withLock({ $0 ?? [] }) {
            try? FileManager.default.removeItem(atPath: path)
          }
        }
      }
      list!.append(folder.path)
    }
  }
}
