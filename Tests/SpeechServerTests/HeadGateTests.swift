import Foundation
import HTTPHead
import SpeechTestSupport
import Testing

@testable import SpeechServer

/// Request heads are read by the gate, within limits: the HTTP layer behind it reads a head's
/// lines in time quadratic in their length (a 1 MB URL kept it from answering anyone for over a
/// minute), so it must only ever see small heads, one per connection.
@Suite struct HeadScannerTests {
  let limits = HeadLimits(lineBytes: 16, headBytes: 40, seconds: 1)

  @Test func findsTheHeadsEndWhateverTheBytesArriveIn() {
    let message = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY".utf8)
    var whole = HeadScanner(limits: limits)
    #expect(whole.append(message) == .complete(length: 27))
    var byByte = HeadScanner(limits: limits)
    var outcomes: [HeadScanner.Outcome] = []
    for byte in message { outcomes.append(byByte.append([byte])) }
    #expect(outcomes.firstIndex(of: .complete(length: 27)) == 26)
    #expect(outcomes.prefix(26).allSatisfy { $0 == .incomplete })
    #expect(Array(byByte.bytes[27...]) == Array("BODY".utf8))
    var bareNewlines = HeadScanner(limits: limits)
    #expect(bareNewlines.append(Array("GET / HTTP/1.1\nHost: a\n\n".utf8)) == .complete(length: 24))
  }

  /// Empty lines before the request line are skipped (RFC 9112 §2.2), not taken for the end.
  @Test func skipsEmptyLinesBeforeTheFirst() {
    var scanner = HeadScanner(limits: limits)
    let message = Array("\r\n\nGET / HTTP/1.1\r\n\r\n".utf8)
    #expect(scanner.append(message) == .complete(length: message.count))
    #expect(
      String(decoding: ClosingHead.closing(message[...]), as: UTF8.self)
        == "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
  }

  @Test func refusesALongLineBeforeItEnds() {
    var scanner = HeadScanner(limits: limits)
    #expect(scanner.append(Array("GET /0123456789".utf8)) == .incomplete)  // 15 bytes
    guard case .tooLarge(let reason) = scanner.append(Array("abcd".utf8)) else {
      Issue.record("a 19-byte line passed a 16-byte limit")
      return
    }
    #expect(reason == "a line of the request's head is longer than 16 bytes")
  }

  /// The response side's scanner has no line limit; a head arriving in pieces must not trap.
  @Test func noLineLimitTakesHeadsInPieces() {
    var scanner = HeadScanner(limits: HeadLimits(lineBytes: .max, headBytes: 1 << 16, seconds: 0))
    #expect(scanner.append(Array("HTTP/1.1 200 OK\r\nContent-Le".utf8)) == .incomplete)
    #expect(scanner.append(Array("ngth: 0\r\n\r\n".utf8)) == .complete(length: 38))
  }

  @Test func refusesAHeadOfManyShortLines() {
    var scanner = HeadScanner(limits: limits)
    let lines =
      Array("GET / HTTP/1.1\r\n".utf8)
      + Array(repeating: Array("A: b\r\n".utf8), count: 5).flatMap { $0 }
    #expect(scanner.append(lines) == .tooLarge("the request's head is longer than 40 bytes"))
  }
}

@Suite struct ClosingHeadTests {
  @Test func oneConnectionHeaderSaysCloseAndKeepsUpgrade() {
    let request = Array(
      "GET /api/listen HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\nKeep-Alive: 5\r\nUpgrade: websocket\r\nconnection: close\r\n\r\n"
        .utf8)
    let rewritten = String(decoding: ClosingHead.closing(request[...]), as: UTF8.self)
    #expect(
      rewritten
        == "GET /api/listen HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: upgrade, close\r\n\r\n"
    )
    let plain = Array("GET / HTTP/1.1\nHost: h\n\n".utf8)
    #expect(
      String(decoding: ClosingHead.closing(plain[...]), as: UTF8.self)
        == "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
  }

  /// The gate answers `Expect: 100-continue` itself and drops the header.
  @Test func expectContinueIsTheGatesToAnswer() {
    let request = Array(
      "POST /api/classify HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n\r\n".utf8)
    #expect(ClosingHead.expectsContinue(request[...]))
    #expect(!ClosingHead.expectsContinue(Array("POST / HTTP/1.1\r\nHost: h\r\n\r\n".utf8)[...]))
    #expect(
      String(decoding: ClosingHead.closing(request[...]), as: UTF8.self)
        == "POST /api/classify HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
  }

  @Test func recognisesASwitchToWebSocket() {
    #expect(
      ClosingHead.switchesProtocols(Array("HTTP/1.1 101 Switching Protocols\r\n\r\n".utf8)[...]))
    #expect(!ClosingHead.switchesProtocols(Array("HTTP/1.1 200 OK\r\n\r\n".utf8)[...]))
    #expect(!ClosingHead.switchesProtocols(Array("HTTP/1.1 1010 X\r\n\r\n".utf8)[...]))
  }
}

/// `WebSocketFrameMeter` and `RequestFraming`: what the gate checks after a head.
@Suite struct GateFramingTests {
  /// `meter.accept(bytes)` (a mutating call cannot sit inside `#expect`).
  func passes(_ meter: inout WebSocketFrameMeter, _ bytes: ArraySlice<UInt8>) -> Bool {
    meter.accept(bytes)
  }

  /// A client frame header (masked, as clients must): FIN, `opcode`, the payload length.
  static func frameHeader(opcode: UInt8, fin: Bool = true, length: Int) -> [UInt8] {
    var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
    if length <= 125 {
      out.append(0x80 | UInt8(length))
    } else if length <= 0xFFFF {
      out += [0x80 | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
    } else {
      out.append(0x80 | 127)
      for shift in stride(from: 56, through: 0, by: -8) {
        out.append(UInt8((length >> shift) & 0xFF))
      }
    }
    return out + [1, 2, 3, 4]
  }

  @Test func framesAndMessagesUpToTheLimitPassWhateverTheChunks() {
    var meter = WebSocketFrameMeter(maximumMessageBytes: 1000)
    var bytes = Self.frameHeader(opcode: 2, length: 1000) + [UInt8](repeating: 7, count: 1000)
    // A fragmented message of 600 + 400 bytes with a ping between, then a close.
    bytes +=
      Self.frameHeader(opcode: 1, fin: false, length: 600) + [UInt8](repeating: 0, count: 600)
    bytes += Self.frameHeader(opcode: 9, length: 4) + [1, 2, 3, 4]
    bytes += Self.frameHeader(opcode: 0, length: 400) + [UInt8](repeating: 0, count: 400)
    bytes += Self.frameHeader(opcode: 8, length: 2) + [3, 0xE8]
    for start in stride(from: 0, to: bytes.count, by: 7) {
      #expect(passes(&meter, bytes[start..<min(start + 7, bytes.count)]))
    }
  }

  @Test func aFrameOrMessageOverTheLimitIsRefusedAtItsHeader() {
    var big = WebSocketFrameMeter(maximumMessageBytes: 1 << 20)
    #expect(!passes(&big, Self.frameHeader(opcode: 2, length: 400_000_000)[...]))
    var fragments = WebSocketFrameMeter(maximumMessageBytes: 1000)
    #expect(
      passes(
        &fragments,
        (Self.frameHeader(opcode: 2, fin: false, length: 600) + [UInt8](repeating: 0, count: 600))[
          ...]))
    #expect(!passes(&fragments, Self.frameHeader(opcode: 0, length: 401)[...]))
    var ping = WebSocketFrameMeter(maximumMessageBytes: 1000)
    #expect(!passes(&ping, Self.frameHeader(opcode: 9, length: 126)[...]))
    // RFC 6455: a client's frames are masked and set no reserved bit.
    var unmasked = WebSocketFrameMeter(maximumMessageBytes: 1000)
    #expect(!passes(&unmasked, [0x82, 0x03, 1, 2, 3][...]))
    #expect(unmasked.closeStatus == 1002)
    var reserved = WebSocketFrameMeter(maximumMessageBytes: 1000)
    #expect(!passes(&reserved, [0xC2, 0x83, 1, 2, 3, 4, 1, 2, 3][...]))
    #expect(reserved.closeStatus == 1002)
    #expect(big.closeStatus == 1009)
    var top = WebSocketFrameMeter(maximumMessageBytes: 1000)
    #expect(!passes(&top, [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4][...]))
  }

  @Test func bodiesFramedTwoWaysAreRefused() {
    func head(_ headers: String) -> ArraySlice<UInt8> {
      Array("POST /api/classify HTTP/1.1\r\nHost: x\r\n\(headers)\r\n".utf8)[...]
    }
    #expect(RequestFraming.problem(head("Content-Length: 5\r\n")) == nil)
    #expect(RequestFraming.problem(head("Content-Length: 5\r\ncontent-length: 5\r\n")) == nil)
    #expect(RequestFraming.problem(head("Transfer-Encoding: chunked\r\n")) == nil)
    #expect(
      RequestFraming.problem(head("Content-Length: 5\r\nContent-Length: 6\r\n"))
        == "Content-Length is given twice with other values")
    #expect(
      RequestFraming.problem(head("Content-Length: abc\r\n"))
        == "Content-Length 'abc' is not a number of bytes")
    #expect(RequestFraming.problem(head("Content-Length: -1\r\n")) != nil)
    #expect(
      RequestFraming.problem(head("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"))
        == "Content-Length and Transfer-Encoding are both given")
    #expect(RequestFraming.problem(head("Transfer-Encoding: gzip\r\n")) != nil)
    #expect(RequestFraming.problem(head("Host: evil.example\r\n")) == "Host is given twice")
    #expect(
      RequestFraming.problem(head("Origin: a\r\nOrigin: b\r\n")) == "Origin is given twice")
    #expect(RequestFraming.asksToUpgrade(head("Upgrade: websocket\r\n")))
    #expect(!RequestFraming.asksToUpgrade(head("Content-Length: 5\r\n")))
  }
}

#if canImport(Glibc)
  /// The gate in front of a real server on a loopback port.
  @Suite struct HeadGateTests {
    /// `talk(port)`, run off the cooperative pool, against a server whose heads must arrive
    /// within `headSeconds` and whose uploads are at most 1 MB.
    static func withServer<T: Sendable>(
      headSeconds: Double = 60, maxConnections: Int = 256,
      _ talk: @escaping @Sendable (UInt16) throws -> T
    ) async throws -> T {
      var (options, data) = try ServerFixture.socketOptions()
      defer { withExtendedLifetime(data) {} }
      options.headLimits.seconds = headSeconds
      options.maxConnections = maxConnections
      options.maxUploadBytes = 1 << 20
      let server = try await SpeechServer(options: options)
      defer { Task { await server.stop() } }
      let port = await server.port
      return try await RawHTTP.offThePool { try talk(port) }
    }

    @Test func aHugeURLIs431AndTheServerGoesOnAnswering() async throws {
      let (refused, answered) = try await Self.withServer { port in
        let refused = try RawHTTP.exchange(
          port: port,
          "GET /api/model?q=" + String(repeating: "a", count: 1 << 20)
            + " HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
        let answered = try RawHTTP.exchange(
          port: port, "GET /api/model HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
        return (refused, answered)
      }
      #expect(refused.hasPrefix("HTTP/1.1 431 "))
      #expect(
        refused.contains(#"{"error":"a line of the request's head is longer than 8192 bytes"}"#))
      #expect(answered.hasPrefix("HTTP/1.1 200 "))
      #expect(answered.contains("\r\nConnection: close\r\n"))
    }

    /// A body framed two ways gets a JSON 400 from the gate (the server closed without a word).
    @Test func aBadContentLengthIs400() async throws {
      let reply = try await Self.withServer { port in
        try RawHTTP.exchange(
          port: port,
          "POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: abc\r\n\r\n",
          seconds: 20)
      }
      #expect(reply.hasPrefix("HTTP/1.1 400 "))
      #expect(reply.contains(#"{"error":"Content-Length 'abc' is not a number of bytes"}"#))
    }

    /// A WebSocket frame declaring 400 MB is refused at its header with a close frame (1009,
    /// message too big) before any of it reaches the server; one such frame once took the
    /// server to 4 GB.
    @Test func aHugeWebSocketFrameIsClosedAtItsHeader() async throws {
      let (reply, seconds) = try await Self.withServer { port in
        let client = try RawHTTP(port: port)
        defer { client.close() }
        client.send(
          "GET /api/listen?rate=16000 HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        client.send(
          GateFramingTests.frameHeader(opcode: 2, length: 400_000_000)
            + [UInt8](repeating: 0, count: 4096))
        let start = Date()
        let reply = client.receiveAll(seconds: 60)
        return (reply, Date().timeIntervalSince(start))
      }
      // The 101 comes first unless the gate read the frame with the head (then the request
      // never reaches the server at all).
      #expect(reply.hasPrefix("HTTP/1.1 101 ") || reply.unicodeScalars.count == 4, "\(reply)")
      #expect(reply.unicodeScalars.suffix(3).map(\.value) == [0x02, 0x03, 0xFFFD], "\(reply)")
      #expect(seconds < 30)
    }

    @Test func aHeadThatNeverEndsIs408() async throws {
      let reply = try await Self.withServer(headSeconds: 1) { port in
        // No empty line: the head never ends.
        try RawHTTP.exchange(
          port: port, "GET /api/model HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n", seconds: 20)
      }
      #expect(reply.hasPrefix("HTTP/1.1 408 "))
      #expect(reply.contains("the request's head did not arrive within 1 s"))
    }

    /// One request per connection: a second head on the same connection never reaches the
    /// server (it could be any size), and the first is still answered in full.
    @Test func aPipelinedSecondRequestIsNotRead() async throws {
      let reply = try await Self.withServer { port in
        let request = "GET /api/model HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n"
        return try RawHTTP.exchange(port: port, request + request)
      }
      #expect(reply.components(separatedBy: "HTTP/1.1 200 ").count == 2)
      #expect(reply.hasSuffix("}"))
    }

    /// A client that waits for the go-ahead before sending its body gets it at once.
    @Test func expectContinueGetsTheGoAhead() async throws {
      let reply = try await Self.withServer { port in
        let client = try RawHTTP(port: port)
        defer { client.close() }
        client.send(
          "POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"
        )
        let goAhead = client.receiveAll(limit: 25)
        client.send("RIFF")
        return goAhead + client.receiveAll()
      }
      #expect(reply.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 "), "\(reply)")
    }

    /// Past the most connections at once, a new one is answered 503 at once; once one ends,
    /// the next is served again.
    @Test func tooManyConnectionsAre503() async throws {
      let (refused, served) = try await Self.withServer(maxConnections: 2) { port in
        let request = "GET /api/model HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n"
        let held = try (0..<2).map { _ in try RawHTTP(port: port) }
        for connection in held { connection.send("GET /api/model HTTP/1.1\r\n") }  // half a head
        // The two are accepted in order before the third, whose answer comes at once.
        let third = try RawHTTP(port: port)
        defer { third.close() }
        third.send(request)
        let refused = third.receiveAll()
        held[0].send("Host: 127.0.0.1:\(port)\r\n\r\n")
        _ = held[0].receiveAll()
        held.forEach { $0.close() }
        // The gate lets a connection go once its client has closed: retry until one is free.
        var served = ""
        for _ in 0..<300 where !served.hasPrefix("HTTP/1.1 200 ") {
          served = try RawHTTP.exchange(port: port, request)
          if !served.hasPrefix("HTTP/1.1 200 ") { Thread.sleep(forTimeInterval: 0.1) }
        }
        return (refused, served)
      }
      #expect(refused.hasPrefix("HTTP/1.1 503 "), "\(refused)")
      #expect(refused.contains("more than 2 connections at once"))
      #expect(served.hasPrefix("HTTP/1.1 200 "))
    }

    /// An upload refused before it is read: the client sees the 413, not a reset connection.
    @Test func aRefusedUploadsAnswerArrives() async throws {
      let reply = try await Self.withServer { port in
        let client = try RawHTTP(port: port)
        defer { client.close() }
        client.send(
          "POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(8 << 20)\r\n\r\n"
        )
        client.send([UInt8](repeating: 0, count: 3 << 20))
        return client.receiveAll()
      }
      #expect(reply.hasPrefix("HTTP/1.1 413 "))
      #expect(reply.contains("the upload is larger than 1048576 bytes"))
    }
  }
#endif
