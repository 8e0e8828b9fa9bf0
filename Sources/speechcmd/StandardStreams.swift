#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing to standard output and standard error with `write(2)`, reporting failures.
///
/// Foundation's `FileHandle.write` traps on an error (output sent to a full disk or `/dev/full`
/// crashed `classify` with a stack trace), and `print` drops errors silently (`info` exited 0
/// having written nothing). Here a failed write to standard output ends the process with one line
/// on standard error and status 1; a failed write to standard error is ignored (there is nowhere
/// left to say it). A closed pipe (`speechcmd … | head`) still ends the process by SIGPIPE, as for
/// any command-line tool.
enum StandardStreams {
  /// Writes all of `text` to standard output, or ends the process as described above.
  static func writeOutput(_ text: String) {
    if let failure = writeAll(text, to: STDOUT_FILENO) { outputFailed(failure) }
  }

  /// Writes all of `text` to standard error; failures are ignored.
  static func writeError(_ text: String) {
    _ = writeAll(text, to: STDERR_FILENO)
  }

  /// Whether standard input was closed when the process started (`speechcmd listen - <&-`).
  nonisolated(unsafe) private(set) static var inputWasClosed = false

  /// Puts `/dev/null`, opened read-only, on any of descriptors 0–2 that the process started
  /// without, before anything else opens a file. Otherwise the next descriptor opened takes the
  /// number: an epoll instance of the dispatch library became standard input (`listen -` then
  /// failed with "Invalid argument"), and a model file being written could have become standard
  /// output. Read-only, so that writing to a closed standard output still fails (`EBADF`) and is
  /// reported as before. Called once, first thing.
  static func reserveStandardDescriptors() {
    for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO]
    where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
      if descriptor == STDIN_FILENO { inputWasClosed = true }
      _ = open("/dev/null", O_RDONLY)
    }
  }

  /// Makes `print`'s buffered output checked too: at exit, standard output is flushed, and a
  /// failure is reported as for `writeOutput`. Called once, before a command runs.
  static func checkPrintedOutputAtExit() {
    atexit {
      if fflush(nil) != 0 { StandardStreams.outputFailed(errno) }
    }
  }

  /// The `errno` of the first failed write, or nil when every byte was written.
  private static func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
    var text = text
    return text.withUTF8 { bytes -> Int32? in
      var offset = 0
      while offset < bytes.count {
        let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
  }

  private static func outputFailed(_ code: Int32) -> Never {
    writeError("speechcmd: cannot write to standard output: \(String(cString: strerror(code)))\n")
    _exit(1)
  }
}
