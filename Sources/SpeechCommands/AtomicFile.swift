import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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

/// Whole-file writes that never leave a half-written file behind.
public enum AtomicFile {
  /// Writes `data` to a temporary file next to `path`, flushes it to disk, then renames it over
  /// `path`: a reader sees the old file or the new one, never a mix, even after a crash or Ctrl-C.
  public static func write(_ data: Data, to path: String) throws(OutputError) {
    let dir = (path as NSString).deletingLastPathComponent
    let tmp =
      (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
    var ok = true
    data.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        #if canImport(Glibc)
          let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
        #else
          let n = Darwin.write(fd, raw.baseAddress! + offset, raw.count - offset)
        #endif
        if n <= 0 {
          if n < 0 && errno == EINTR { continue }
          ok = false
          return
        }
        offset += n
      }
    }
    let reason = String(cString: strerror(errno))
    if !ok || fsync(fd) != 0 {
      close(fd)
      unlink(tmp)
      throw .unwritable(path: path, reason: reason)
    }
    close(fd)
    if rename(tmp, path) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(tmp)
      throw .unwritable(path: path, reason: reason)
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
