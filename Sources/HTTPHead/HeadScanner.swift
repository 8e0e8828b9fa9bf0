/// How much of a message head the gate reads before it gives up on a client.
///
/// Why: the HTTP layer behind the gate (FlyingFox 0.27.1) reads a head's lines with no size limit,
/// in time that grows with the square of a line's length (a 100 KB header took it 4.5 s, a 1 MB
/// URL over a minute, during which it answered nothing else). Heads the gate lets through cost it
/// at most milliseconds. Browsers send heads of about 1 KB; `localhost` cookies of other local
/// web apps can add a few KB, hence the room.
package struct HeadLimits: Sendable, Equatable {
  /// Longest line (request line or one header), in bytes without its line end: 431 beyond.
  package var lineBytes = 8 << 10
  /// Longest head (every line and line end, up to and including the empty line), bytes: 431.
  package var headBytes = 32 << 10
  /// Time a client has to send its whole head, in seconds: 408 beyond.
  package var seconds: Double = 30

  package init(lineBytes: Int = 8 << 10, headBytes: Int = 32 << 10, seconds: Double = 30) {
    self.lineBytes = lineBytes
    self.headBytes = headBytes
    self.seconds = seconds
  }
}

/// Finds the end of a message head in bytes that arrive in pieces, looking at each byte once.
///
/// A head is the request or status line and the header lines, each ended by `\n` (optionally
/// preceded by `\r`), up to and including the first empty line after them (empty lines before
/// the first line belong to the head and are skipped).
package struct HeadScanner {
  /// What the bytes so far amount to.
  package enum Outcome: Equatable {
    /// No empty line yet, and within the limits.
    case incomplete
    /// The head is `bytes[0..<length]`; any bytes after it are the start of the body.
    case complete(length: Int)
    /// The head breaks `limits`: the reason, for a 431 answer.
    case tooLarge(String)
  }

  package let limits: HeadLimits
  /// Every byte appended so far.
  package private(set) var bytes: [UInt8] = []
  /// Where the line being read starts, and how far the bytes have been looked at.
  private var lineStart = 0
  private var scanned = 0
  /// Whether a line with something in it has been read (the request or status line).
  private var sawLine = false

  package init(limits: HeadLimits) {
    self.limits = limits
  }

  /// Adds `chunk` and says whether the head is now complete.
  package mutating func append(_ chunk: some Sequence<UInt8>) -> Outcome {
    bytes.append(contentsOf: chunk)
    while scanned < bytes.count {
      let byte = bytes[scanned]
      scanned += 1
      guard byte == UInt8(ascii: "\n") else { continue }
      var end = scanned - 1
      if end > lineStart && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
      if end - lineStart > limits.lineBytes { return lineTooLong }
      // Empty lines before the first line are skipped, as RFC 9112 §2.2 asks of servers.
      if end == lineStart && sawLine {
        return scanned > limits.headBytes ? headTooLarge : .complete(length: scanned)
      }
      sawLine = sawLine || end > lineStart
      lineStart = scanned
      if scanned > limits.headBytes { return headTooLarge }
    }
    // The unfinished line may still end in the `\r` of its CRLF, which does not count.
    if scanned - lineStart - 1 > limits.lineBytes { return lineTooLong }
    if scanned > limits.headBytes { return headTooLarge }
    return .incomplete
  }

  private var lineTooLong: Outcome {
    .tooLarge("a line of the request's head is longer than \(limits.lineBytes) bytes")
  }

  private var headTooLarge: Outcome {
    .tooLarge("the request's head is longer than \(limits.headBytes) bytes")
  }
}
