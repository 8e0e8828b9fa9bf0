import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-file replacement that never leaves a half-written file behind: the new contents go to a
/// temporary file beside the target, are flushed to disk, and are renamed over the target, so a
/// reader (or the next run, after a crash or Ctrl-C) sees the old file or the new one, never a mix.
///
/// The target's folder must exist. The new file gets mode 0644 (less the umask), not the old
/// file's mode. Safe to call from several threads at once, even for the same target: each call
/// gets its own temporary file, and the last rename wins.
public enum AtomicFile {
  /// Replaces the contents of `path` with `bytes`.
  public static func write(_ bytes: Data, to path: String) throws(AtomicFileError) {
    try replace(path) { (descriptor, _) throws(AtomicFileError) in
      try writeAll(bytes, to: descriptor, for: path)
    }
  }

  /// Replaces `path` with a file that `body` writes itself, for writers such as libsndfile that
  /// open a file by name. `body` receives the path of an empty temporary file in the target's
  /// folder and must write it in place (open it by name and write, as `sf_open` does), not rename
  /// another file over it. When `body` returns, the file is flushed and renamed over `path`.
  ///
  /// - Throws: what `body` throws, unchanged (it should name `path`, not the temporary file), or
  ///   an error of its own when the temporary file cannot be created, flushed or renamed. Either
  ///   way the temporary file is removed and `path` is untouched.
  public static func commit(
    to path: String, writing body: (_ temporaryPath: String) throws(AtomicFileError) -> Void
  ) throws(AtomicFileError) {
    try replace(path) { (_, temporary) throws(AtomicFileError) in try body(temporary) }
  }

  /// Throws when `path` exists but is not a regular file (a folder, a device such as `/dev/full`,
  /// a pipe; links are followed): renaming a new file over it would replace it. A missing `path`
  /// is fine. Every write checks this; callers with a long job ahead can check first.
  public static func checkReplaceable(_ path: String) throws(AtomicFileError) {
    var info = stat()
    guard stat(path, &info) == 0 else { return }
    guard (info.st_mode & UInt32(S_IFMT)) == UInt32(S_IFREG) else {
      throw AtomicFileError(path: path, reason: "it exists and is not a regular file")
    }
  }

  /// The temporary file beside `path`: hidden, and unique by process and a random suffix, so
  /// concurrent writers never share one. A bare file name gets a temporary in the current folder.
  static func temporaryPath(for path: String) -> (folder: String, temporary: String) {
    let slash = path.lastIndex(of: "/")
    let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
    return (folder, (folder == "/" ? "" : folder) + "/.\(name).\(getpid()).\(suffix).tmp")
  }

  /// Creates the temporary file (`O_EXCL`, so an existing file is never reused), lets `fill`
  /// write it, then fsyncs it, renames it over `path` and fsyncs the folder. Every failure
  /// removes the temporary file.
  private static func replace(
    _ path: String,
    fill: (_ descriptor: Int32, _ temporaryPath: String) throws(AtomicFileError) -> Void
  ) throws(AtomicFileError) {
    try checkReplaceable(path)
    let (folder, temporary) = temporaryPath(for: path)
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw systemError(path, "cannot create a temporary file in '\(folder)'")
    }
    var renamed = false
    defer {
      if !renamed { unlink(temporary) }
    }
    do throws(AtomicFileError) {
      try fill(descriptor, temporary)
      guard fsync(descriptor) == 0 else { throw systemError(path, "fsync failed") }
    } catch {
      close(descriptor)
      throw error
    }
    guard close(descriptor) == 0 else { throw systemError(path, "close failed") }
    guard rename(temporary, path) == 0 else { throw systemError(path, "rename failed") }
    renamed = true
    syncFolder(folder)
  }

  /// Writes all of `bytes`, resuming after short writes and signals (`EINTR`).
  private static func writeAll(
    _ bytes: Data, to descriptor: Int32, for path: String
  ) throws(AtomicFileError) {
    let failure: AtomicFileError? = bytes.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = systemWrite(descriptor, raw.baseAddress! + done, raw.count - done)
        if n < 0 && errno == EINTR { continue }
        if n < 0 { return systemError(path, "write failed") }
        if n == 0 { return AtomicFileError(path: path, reason: "write failed: no progress") }
        done += n
      }
      return nil
    }
    if let failure { throw failure }
  }

  /// Makes the rename itself durable. Best effort: the new file is already in place, and some
  /// file systems refuse to open or sync a folder.
  private static func syncFolder(_ folder: String) {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
  }

  /// `what` followed by the system's message for the current `errno`; read it before any other
  /// call can change `errno`.
  private static func systemError(_ path: String, _ what: String) -> AtomicFileError {
    AtomicFileError(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
  }

  /// The corresponding C function is `write`; the module qualifier keeps it apart from
  /// `AtomicFile.write`.
  private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int)
    -> Int
  {
    #if canImport(Glibc)
      return Glibc.write(descriptor, buffer, count)
    #else
      return Darwin.write(descriptor, buffer, count)
    #endif
  }
}
