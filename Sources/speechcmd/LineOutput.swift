import Foundation

/// Buffered standard output for result lines, and one-line diagnostics on standard error.
///
/// Lines are collected and written in blocks (many files per system call); `flush()` pushes them
/// out, and `write(_:flush:)` can flush each line for live output (`listen`). Tests run commands
/// in-process with `LineOutput.$capture.withValue(...)` to collect both streams instead.
final class LineOutput {
  /// Where output goes instead of the real streams while set (tests).
  @TaskLocal static var capture: OutputCapture?

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
    if let capture = Self.capture {
      capture.append(output: pending)
    } else {
      StandardStreams.writeOutput(pending)
    }
    pending = ""
  }

  /// Writes `speechcmd: message` to standard error, on one line.
  static func warn(_ message: String) {
    let line = "speechcmd: " + oneLine(message) + "\n"
    if let capture {
      capture.append(error: line)
    } else {
      StandardStreams.writeError(line)
    }
  }
}

extension LineOutput {
  /// `text` with its line breaks shown as `\n` and `\r`: a file name holding one would split a
  /// diagnostic over two lines, and the second would read as another message.
  static func oneLine(_ text: String) -> String {
    guard text.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return text }
    return text.replacingOccurrences(of: "\r\n", with: "\\r\\n")
      .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
  }
}

/// Standard output and standard error of an in-process run, collected (thread-safe).
final class OutputCapture: @unchecked Sendable {
  private let lock = NSLock()
  private var out = ""
  private var err = ""

  /// What was written to standard output.
  var output: String { lock.withLock { out } }
  /// What was written to standard error.
  var errors: String { lock.withLock { err } }

  func append(output text: String) { lock.withLock { out += text } }
  func append(error text: String) { lock.withLock { err += text } }
}
