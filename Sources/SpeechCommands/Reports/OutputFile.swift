import Foundation

internal import AtomicFiles

/// Problems writing output files (reports, models, logs).
public enum OutputError: Error, Equatable, CustomStringConvertible {
  /// The file or folder could not be created or written; `reason` is the system's message.
  case unwritable(path: String, reason: String)

  public var description: String {
    switch self {
    case .unwritable(let path, let reason): return "cannot write '\(path)': \(reason)"
    }
  }
}

/// Report and log files, written whole or not at all, reporting `OutputError`.
///
/// A thin front on `AtomicFile` (temporary file, fsync, rename), which the model and audio
/// writers share; only this module's error type and folder creation are added here.
public enum OutputFile {
  /// Writes `data` to a temporary file next to `path`, flushes it to disk, then renames it over
  /// `path`: a reader sees the old file or the new one, never a mix, even after a crash or Ctrl-C.
  public static func write(_ data: Data, to path: String) throws(OutputError) {
    do throws(AtomicFileError) {
      try AtomicFile.write(data, to: path)
    } catch {
      throw .unwritable(path: path, reason: error.reason)
    }
  }

  /// Throws when `path` exists but is not a regular file, which writing it would replace: for
  /// commands that check their outputs before long work.
  public static func checkReplaceable(_ path: String) throws(OutputError) {
    do throws(AtomicFileError) {
      try AtomicFile.checkReplaceable(path)
    } catch {
      throw .unwritable(path: path, reason: error.reason)
    }
  }

  /// Writes UTF-8 text atomically.
  public static func write(_ text: String, to path: String) throws(OutputError) {
    try write(Data(text.utf8), to: path)
  }

  /// Creates `path` and its parents if missing.
  public static func makeDirectory(_ path: String) throws(OutputError) {
    do {
      try FileManager.default.createDirectory(
        atPath: path, withIntermediateDirectories: true, attributes: nil)
    } catch {
      throw .unwritable(path: path, reason: "\(error.localizedDescription)")
    }
  }
}
