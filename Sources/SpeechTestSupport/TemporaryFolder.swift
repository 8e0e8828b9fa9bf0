import Foundation

/// A fresh, empty folder under the system's temporary directory, removed with everything in it
/// when the last reference goes away.
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

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
