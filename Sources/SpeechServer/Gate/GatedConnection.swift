import Foundation
import HTTPHead

#if canImport(Glibc)
  import Glibc
#endif

/// One client connection through the gate: its request head read within `limits` (else 431 or
/// 408, and the server behind never sees it), then passed on with `Connection: close`, and from
/// there the bytes copied both ways until the server closes (after its response, or when a
/// WebSocket ends).
struct GatedConnection {
  /// The client's socket (closed by `run`).
  let client: Int32
  /// The abstract Unix socket name of the server behind the gate.
  let backend: String
  let limits: HeadLimits

  /// Serves the connection to its end; blocks the calling thread meanwhile.
  func run() {
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    defer { closeGently(buffer: &buffer) }
    var head = HeadScanner(limits: limits)
    let deadline = Date().addingTimeInterval(limits.seconds)
    var headLength = 0
    while headLength == 0 {
      guard GateSocket.waitReadable(client, seconds: deadline.timeIntervalSinceNow) else {
        let seconds = String(format: "%g", limits.seconds)
        return refuse(
          408, "Request Timeout", "the request's head did not arrive within \(seconds) s")
      }
      let count = GateSocket.receive(client, into: &buffer)
      guard count > 0 else { return }
      switch head.append(buffer[..<count]) {
      case .incomplete: continue
      case .tooLarge(let reason): return refuse(431, "Request Header Fields Too Large", reason)
      case .complete(let length): headLength = length
      }
    }
    let requestHead = head.bytes[..<headLength]
    if let problem = RequestFraming.problem(requestHead) {
      return refuse(400, "Bad Request", problem)
    }
    guard let server = GateSocket.connect(abstract: backend) else {
      return refuse(503, "Service Unavailable", "the server is stopping")
    }
    defer { close(server) }
    if ClosingHead.expectsContinue(head.bytes[..<headLength]) {
      GateSocket.send(client, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }
    var meter =
      RequestFraming.asksToUpgrade(requestHead)
      ? WebSocketFrameMeter(maximumMessageBytes: Self.maximumMessageBytes) : nil
    let early = head.bytes[headLength...]
    // The meter itself takes the early bytes (a copy would leave it mid-frame for the next).
    if meter?.accept(early) == false { return closeWebSocket(meter?.closeStatus ?? 1009) }
    let request = ClosingHead.closing(requestHead) + early
    guard GateSocket.send(server, request) else { return }
    relay(server: server, buffer: &buffer, meter: &meter)
  }

  /// The largest WebSocket message a client may send: 1 MB (the page sends a tenth of a second
  /// of 16-bit audio at a time, a few kilobytes).
  static let maximumMessageBytes = 1 << 20

  /// Milliseconds without a byte either way after which a connection is given up: a body that
  /// stalls, or a WebSocket left open and silent, held its connection (one of 256) for ever.
  static let idleMilliseconds: Int32 = 60_000

  /// Ends a WebSocket whose client sent what `WebSocketFrameMeter` refuses, before any of it
  /// reached the server: a close frame with `status` (1009: message too big; 1002: protocol
  /// error).
  private func closeWebSocket(_ status: UInt16) {
    GateSocket.send(client, [0x88, 0x02, UInt8(status >> 8), UInt8(status & 0xFF)])
  }

  /// Copies bytes both ways until the server closes or the client is gone. The response's head
  /// gets `Connection: close` too (unless it switches to a WebSocket), so the client's next
  /// request comes on a new connection, through the gate's checks again.
  private func relay(server: Int32, buffer: inout [UInt8], meter: inout WebSocketFrameMeter?) {
    var responseHead: HeadScanner? = HeadScanner(
      limits: HeadLimits(lineBytes: .max, headBytes: 64 << 10, seconds: 0))
    var clientSends = true
    while true {
      var entries = [
        pollfd(fd: server, events: Int16(POLLIN), revents: 0),
        pollfd(fd: clientSends ? client : -1, events: Int16(POLLIN), revents: 0),
      ]
      let ready = poll(&entries, 2, Self.idleMilliseconds)
      if ready < 0 {
        if errno == EINTR { continue }
        return
      }
      if ready == 0 {
        // Nothing either way for a minute: a 408 if the server has not answered yet.
        if responseHead != nil {
          refuse(408, "Request Timeout", "nothing was sent or received for 60 s")
        }
        return
      }
      if entries[0].revents != 0 {
        let count = GateSocket.receive(server, into: &buffer)
        guard count > 0 else { return }
        var out = Array(buffer[..<count])
        if var scanner = responseHead {
          switch scanner.append(out) {
          case .incomplete:
            responseHead = scanner
            continue
          case .complete(let length):
            let head = scanner.bytes[..<length]
            out = ClosingHead.switchesProtocols(head) ? Array(head) : ClosingHead.closing(head)
            out += scanner.bytes[length...]
          case .tooLarge:
            out = scanner.bytes
          }
          responseHead = nil
        }
        guard GateSocket.send(client, out) else { return }
      }
      if clientSends && entries[1].revents != 0 {
        let count = GateSocket.receive(client, into: &buffer)
        if count > 0, meter?.accept(buffer[..<count]) == false {
          return closeWebSocket(meter?.closeStatus ?? 1009)
        }
        if count > 0 {
          // A server that stopped reading (an upload refused as too large) may still be
          // sending its answer: stop forwarding, keep relaying that.
          clientSends = GateSocket.send(server, buffer[..<count])
        } else {
          // The client is done sending (or gone): the server still answers what it has.
          shutdown(server, Int32(SHUT_WR))
          clientSends = false
        }
      }
    }
  }

  /// Answers `status` with `{"error": message}` (`run` then closes).
  private func refuse(_ status: Int, _ phrase: String, _ message: String) {
    GateSocket.send(client, GateReply.bytes(status: status, phrase: phrase, message: message))
  }

  /// Closes the client's connection once it has read what was sent. What the client is still
  /// sending (a refused head's rest, a request pipelined after the answered one) is read and
  /// dropped for up to 2 s first: closing with unread bytes resets the connection, and the
  /// client may then never see the answer.
  private func closeGently(buffer: inout [UInt8]) {
    defer { close(client) }
    shutdown(client, Int32(SHUT_WR))
    let deadline = Date().addingTimeInterval(2)
    var dropped = 0
    while dropped < 4 << 20, GateSocket.waitReadable(client, seconds: deadline.timeIntervalSinceNow)
    {
      let count = GateSocket.receive(client, into: &buffer)
      guard count > 0 else { return }
      dropped += count
    }
  }
}

/// The gate's own answers: a JSON error body, as the API's errors have.
enum GateReply {
  static func bytes(status: Int, phrase: String, message: String) -> [UInt8] {
    let body = (try? JSONEncoder().encode(["error": message])) ?? Data()
    let head =
      "HTTP/1.1 \(status) \(phrase)\r\nContent-Type: application/json\r\n"
      + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
    return Array(head.utf8) + Array(body)
  }
}
