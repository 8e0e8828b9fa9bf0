import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Atomic replacement of a file's contents with POSIX calls.
enum AtomicFile {
  /// Writes `bytes` to a new temporary file beside `path`, fsyncs it, renames it over `path` and
  /// fsyncs the folder; on any failure the temporary file is removed and `path` is untouched.
  static func write(_ bytes: Data, to path: String) throws(ModelFileError) {
    func failure(_ what: String) -> ModelFileError {
      .unwritable(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    let temporary =
      folder + "/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw failure("cannot create a temporary file in '\(folder)'") }
    var ok = false
    defer {
      if !ok { unlink(temporary) }
    }
    let written = bytes.withUnsafeBytes { raw -> Bool in
      var done = 0
      while done < raw.count {
        let n = posixWrite(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        done += n
      }
      return true
    }
    guard written else {
      let error = failure("write failed")
      close(fd)
      throw error
    }
    guard fsync(fd) == 0 else {
      let error = failure("fsync failed")
      close(fd)
      throw error
    }
    guard close(fd) == 0 else { throw failure("close failed") }
    guard rename(temporary, path) == 0 else { throw failure("rename failed") }
    ok = true
    let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if folderFD >= 0 {
      _ = fsync(folderFD)  // best effort: the rename is done; this makes it durable
      close(folderFD)
    }
  }

  private static func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      return Glibc.write(fd, buffer, count)
    #else
      return Darwin.write(fd, buffer, count)
    #endif
  }
}
