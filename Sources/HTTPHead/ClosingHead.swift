import Foundation

/// Rewrites message heads so that a connection carries one request and its response.
///
/// Why: the gate checks only the first head on a connection, so it must be the only one the
/// server behind it reads. A request goes on with `Connection: close` (the server then closes
/// after answering it); its response goes back with `Connection: close` too, so the client opens
/// a new connection, with a new checked head, for its next request. `upgrade` is kept: a
/// WebSocket handshake still switches protocols (after which no more heads are read).
package enum ClosingHead {
  /// `head` (a complete head: its lines up to and including the empty one) with its
  /// `Connection` and `Keep-Alive` headers replaced by one `Connection` header that holds the
  /// other tokens they had (such as `upgrade`) and `close`, and without `Expect` (the gate
  /// answers `100-continue` itself: see `expectsContinue`). Lines end in CRLF.
  package static func closing(_ head: ArraySlice<UInt8>) -> [UInt8] {
    var lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
      .map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
    while let last = lines.last, last.isEmpty { lines.removeLast() }
    while let first = lines.first, first.isEmpty { lines.removeFirst() }
    var out: [UInt8] = []
    var tokens: [String] = []
    for (index, line) in lines.enumerated() {
      let name = index == 0 ? "" : headerName(line)
      if name == "connection" {
        let value = String(decoding: line.drop { $0 != UInt8(ascii: ":") }.dropFirst(), as: UTF8.self)
        for token in value.split(separator: ",") {
          let token = token.trimmingCharacters(in: .whitespaces).lowercased()
          if !token.isEmpty && token != "close" && token != "keep-alive" && !tokens.contains(token) {
            tokens.append(token)
          }
        }
      } else if name != "keep-alive" && name != "expect" {
        out += line
        out += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
      }
    }
    out += Array("Connection: \((tokens + ["close"]).joined(separator: ", "))\r\n\r\n".utf8)
    return out
  }

  /// Whether a request head asks `Expect: 100-continue` (curl does for bodies over 1 MB, and
  /// waits a second for the go-ahead, which FlyingFox never sends).
  package static func expectsContinue(_ head: ArraySlice<UInt8>) -> Bool {
    head.split(separator: UInt8(ascii: "\n")).dropFirst().contains { line in
      headerName(line) == "expect"
        && String(decoding: line, as: UTF8.self).lowercased().contains("100-continue")
    }
  }

  /// Whether a response head's status line says 101 (Switching Protocols).
  package static func switchesProtocols(_ head: ArraySlice<UInt8>) -> Bool {
    let statusLine = head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
    let fields = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2)
    return fields.count >= 2 && Array(fields[1]) == Array("101".utf8)
  }

  /// The lower-cased name of a header line (the bytes before its colon, trimmed).
  private static func headerName(_ line: ArraySlice<UInt8>) -> String {
    guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return "" }
    return String(decoding: line[..<colon], as: UTF8.self)
      .trimmingCharacters(in: .whitespaces).lowercased()
  }
}
