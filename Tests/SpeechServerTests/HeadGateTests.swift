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
    let lines = Array("GET / HTTP/1.1\r\n".utf8) + Array(repeating: Array("A: b\r\n".utf8), count: 5).flatMap { $0 }
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
    let request = Array("POST /api/classify HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n\r\n".utf8)
    #expect(ClosingHead.expectsContinue(request[...]))
    #expect(!ClosingHead.expectsContinue(Array("POST / HTTP/1.1\r\nHost: h\r\n\r\n".utf8)[...]))
    #expect(
      String(decoding: ClosingHead.closing(request[...]), as: UTF8.self)
        == "POST /api/classify HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
  }

  @Test func recognisesASwitchToWebSocket() {
    #expect(ClosingHead.switchesProtocols(Array("HTTP/1.1 101 Switching Protocols\r\n\r\n".utf8)[...]))
    #expect(!ClosingHead.switchesProtocols(Array("HTTP/1.1 200 OK\r\n\r\n".utf8)[...]))
    #expect(!ClosingHead.switchesProtocols(Array("HTTP/1.1 1010 X\r\n\r\n".utf8)[...]))
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
      #expect(refused.contains(#"{"error":"a line of the request's head is longer than 8192 bytes"}"#))
      #expect(answered.hasPrefix("HTTP/1.1 200 "))
      #expect(answered.contains("\r\nConnection: close\r\n"))
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
          "POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
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
          "POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(8 << 20)\r\n\r\n")
        client.send([UInt8](repeating: 0, count: 3 << 20))
        return client.receiveAll()
      }
      #expect(reply.hasPrefix("HTTP/1.1 413 "))
      #expect(reply.contains("the upload is larger than 1048576 bytes"))
    }
  }
#endif
