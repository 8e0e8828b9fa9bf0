/// Follows the frames a WebSocket client sends (RFC 6455 §5.2) as the gate passes them on,
/// reading only their headers, so that a frame, or a fragmented message, larger than
/// `maximumMessageBytes` is refused before its payload goes on. Why: the server behind the gate
/// reads a whole frame, and a whole message, into memory whatever length it declares (one
/// 400 MB frame took it to 4 GB), and nothing there bounds them.
package struct WebSocketFrameMeter {
  /// The largest payload of one message (the sum of its fragments), in bytes.
  package let maximumMessageBytes: Int
  /// The current frame's header bytes read so far (2 to 14 bytes).
  private var header: [UInt8] = []
  /// Payload bytes of the current frame still to come.
  private var payloadLeft = 0
  /// Payload bytes of the current message so far (fragments until one with FIN).
  private var messageBytes = 0
  /// The close status for the connection once `accept` has returned false: 1009 (message too
  /// big) or 1002 (protocol error: a client frame without a mask, or with reserved bits set,
  /// which RFC 6455 says to close on).
  package private(set) var closeStatus: UInt16 = 1009

  /// A meter for a new connection.
  package init(maximumMessageBytes: Int) {
    self.maximumMessageBytes = maximumMessageBytes
  }

  /// Takes the next bytes the client sent; false once a frame or message is larger than allowed,
  /// a control frame is longer than 125 bytes, or a frame is unmasked or sets reserved bits
  /// (then these bytes must not be passed on; `closeStatus` says why).
  package mutating func accept(_ bytes: ArraySlice<UInt8>) -> Bool {
    var index = bytes.startIndex
    while index < bytes.endIndex {
      if payloadLeft > 0 {
        let skipped = min(payloadLeft, bytes.endIndex - index)
        payloadLeft -= skipped
        index += skipped
        continue
      }
      header.append(bytes[index])
      index += 1
      guard header.count >= 2, header.count == Self.headerLength(header) else { continue }
      guard header[1] & 0x80 != 0, header[0] & 0x70 == 0 else {
        closeStatus = 1002
        return false
      }
      guard let length = Self.payloadLength(header) else { return false }
      let finished = header[0] & 0x80 != 0
      let opcode = header[0] & 0x0F
      header.removeAll(keepingCapacity: true)
      if opcode >= 8 {
        guard length <= 125 else { return false }
      } else {
        if opcode != 0 { messageBytes = 0 }  // a text or binary frame starts a message
        guard length <= maximumMessageBytes - messageBytes else { return false }
        messageBytes = finished ? 0 : messageBytes + length
      }
      payloadLeft = length
    }
    return true
  }

  /// The full header length that `header`'s first two bytes announce: 2, plus 2 or 8 bytes of
  /// extended length, plus 4 of masking key.
  private static func headerLength(_ header: [UInt8]) -> Int {
    let short = Int(header[1] & 0x7F)
    let extended = short == 126 ? 2 : short == 127 ? 8 : 0
    return 2 + extended + (header[1] & 0x80 != 0 ? 4 : 0)
  }

  /// The payload length of a complete header; nil when the 64-bit length has its top bit set
  /// (not allowed) or does not fit an `Int`.
  private static func payloadLength(_ header: [UInt8]) -> Int? {
    let short = Int(header[1] & 0x7F)
    guard short >= 126 else { return short }
    let bytes = short == 126 ? header[2..<4] : header[2..<10]
    var value: UInt64 = 0
    for byte in bytes { value = value << 8 | UInt64(byte) }
    return value >> 63 == 0 ? Int(exactly: value) : nil
  }
}
