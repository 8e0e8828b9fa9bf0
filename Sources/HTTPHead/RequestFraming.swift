import Foundation

/// How a request head says its body is framed, checked before the server behind the gate reads
/// it: a body framed two ways (`Content-Length` twice with other values, or beside
/// `Transfer-Encoding`) is how requests are smuggled past a proxy, and the server behind closed
/// such connections without a word.
package enum RequestFraming {
  /// Whether a request head asks to switch protocols (`Upgrade:`, a WebSocket handshake): what
  /// the client sends after it is then metered as frames.
  package static func asksToUpgrade(_ head: ArraySlice<UInt8>) -> Bool {
    head.split(separator: UInt8(ascii: "\n")).dropFirst().contains { line in
      String(decoding: line.prefix(8), as: UTF8.self).lowercased() == "upgrade:"
    }
  }

  /// Why the head's framing headers cannot be used, or nil when they can. A `Host` or `Origin`
  /// given twice is refused too: the server behind took the last one, the checks may not.
  package static func problem(_ head: ArraySlice<UInt8>) -> String? {
    var lengths = Set<String>()
    var encodings: [String] = []
    var seen = Set<String>()
    for line in head.split(separator: UInt8(ascii: "\n")).dropFirst() {
      guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
      let name = String(decoding: line[..<colon], as: UTF8.self)
        .trimmingCharacters(in: .whitespaces).lowercased()
      let value = String(decoding: line[line.index(after: colon)...], as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
      if name == "host" || name == "origin" {
        guard !seen.contains(name) else {
          return "\(name == "host" ? "Host" : "Origin") is given twice"
        }
        seen.insert(name)
      }
      if name == "content-length" { lengths.insert(value) }
      if name == "transfer-encoding" { encodings.append(value.lowercased()) }
    }
    if let length = lengths.first {
      guard lengths.count == 1 else { return "Content-Length is given twice with other values" }
      guard !length.isEmpty, length.utf8.count <= 18, length.allSatisfy(\.isASCII),
        length.allSatisfy(\.isNumber)
      else { return "Content-Length '\(length.prefix(40))' is not a number of bytes" }
    }
    guard !encodings.isEmpty else { return nil }
    guard lengths.isEmpty else { return "Content-Length and Transfer-Encoding are both given" }
    guard encodings == ["chunked"] else {
      return "Transfer-Encoding '\(encodings.joined(separator: ", ").prefix(60))' is not supported "
        + "(only chunked)"
    }
    return nil
  }
}
