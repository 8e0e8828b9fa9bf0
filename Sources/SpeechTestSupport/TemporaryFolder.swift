import Foundation

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

  /// `path + "/" + name`.
  public func file(_ name: String) -> String { path + "/" + name }

  /// Creates `relative` (and its parents) holding `text`.
  public func write(_ relative: String, _ text: String) throws {
    let full = file(relative)
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: full, atomically: true, encoding: .utf8)
  }

  /// The names in the folder, sorted (a leftover temporary file shows up here).
  public func names() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
