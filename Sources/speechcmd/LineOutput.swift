import Foundation

/// Buffered standard output for result lines, and one-line diagnostics on standard error.
///
/// Lines are collected and written in blocks (many files per system call); `flush()` pushes them
/// out, and `write(_:flush:)` can flush each line for live output (`listen`).
final class LineOutput {
  private var pending = ""

  /// Appends `line` and a newline; with `flush`, writes everything at once.
  func write(_ line: String, flush: Bool = false) {
    pending += line
    pending += "\n"
    if flush || pending.utf8.count >= 1 << 16 { self.flush() }
  }

  /// Writes what is pending.
  func flush() {
    if pending.isEmpty { return }
    FileHandle.standardOutput.write(Data(pending.utf8))
    pending = ""
  }

  /// Writes `speechcmd: message` to standard error.
  static func warn(_ message: String) {
    FileHandle.standardError.write(Data(("speechcmd: " + message + "\n").utf8))
  }
}
