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

  /// Throws unless `write(_:to:)` can write `path`: it is not empty, its folder exists and is
  /// writable, and `path` is missing or a regular file. For commands that check their outputs
  /// before long work (a model trained for minutes and then not saved for want of a folder).
  public static func checkWritable(_ path: String) throws(OutputError) {
    // An empty name (`--out ""`) is no file: refused before the work, not when renaming after.
    guard !path.isEmpty else { throw .unwritable(path: path, reason: "the name is empty") }
    try checkReplaceable(path)
    let folder = folder(of: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else {
      throw .unwritable(path: path, reason: "the folder '\(folder)' does not exist")
    }
    guard isFolder.boolValue else {
      throw .unwritable(path: path, reason: "'\(folder)' is not a folder")
    }
    guard access(folder, W_OK) == 0 else {
      throw .unwritable(path: path, reason: "the folder '\(folder)' is not writable")
    }
  }

  /// Throws when `path` exists and is not a folder (a report folder about to be created or
  /// written into), or when it is missing and its nearest existing parent is not writable.
  public static func checkFolderWritable(_ path: String) throws(OutputError) {
    guard !path.isEmpty else { throw .unwritable(path: path, reason: "the name is empty") }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
      guard isFolder.boolValue else {
        throw .unwritable(path: path, reason: "it exists and is not a folder")
      }
      guard access(path, W_OK) == 0 else {
        throw .unwritable(path: path, reason: "the folder is not writable")
      }
      return
    }
    var parent = folder(of: path)
    while !FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder),
      parent != "/", parent != "."
    {
      parent = folder(of: parent)
    }
    guard isFolder.boolValue, access(parent, W_OK) == 0 else {
      throw .unwritable(path: path, reason: "it cannot be created in '\(parent)'")
    }
  }

  /// The folder a path names a file in: `"a/b.json"` → `"a"`, `"b.json"` → `"."`.
  private static func folder(of path: String) -> String {
    let parent = PathName.parent(of: path)
    return parent.isEmpty ? "." : parent
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
