/// Why a file could not be replaced atomically. The target file is untouched and no temporary file
/// is left behind; callers map this into their own domain's error (`ModelFileError.unwritable`,
/// `AudioError.unwritable`, `OutputError.unwritable`) so their messages stay their own.
public struct AtomicFileError: Error, Equatable, CustomStringConvertible {
  /// The file that was to be written (never the temporary file).
  public var path: String
  /// What went wrong, usually the system's message for the failing call.
  public var reason: String

  /// An error about `path`.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  /// One line naming the file, without an "Error:" prefix (argument-parser adds one).
  public var description: String { "cannot write '\(path)': \(reason)" }
}
