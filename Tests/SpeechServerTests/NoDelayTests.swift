import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechServer

#if canImport(Glibc)
  import Glibc

  /// The server's connections have Nagle's algorithm off (`GateSocket.listen`): with it on, a
  /// response's body (written after its header) waited for the client's delayed acknowledgement,
  /// 40 ms on every request.
  @Suite struct NoDelayTests {
    @Test func acceptedConnectionsHaveNoDelay() async throws {
      var (options, data) = try ServerFixture.socketOptions()
      defer { withExtendedLifetime(data) {} }
      options.headLimits.seconds = 600  // the half request below must not time out on a busy machine
      let server = try await SpeechServer(options: options)
      defer { Task { await server.stop() } }
      let port = await server.port

      // A client connection with half a request: the gate holds its end open, waiting for the rest.
      let client = try RawHTTP(port: port)
      defer { client.close() }
      client.send("GET /api/model HTTP/1.1\r\n")

      // The server's end of that connection, found among this process's descriptors once accepted.
      var accepted: [Int32] = []
      let deadline = Date().addingTimeInterval(300)  // see `RawHTTP.receiveAll`
      while accepted.isEmpty && Date() < deadline {
        accepted = (Int32(0)..<1024).filter { fd in
          fd != client.fd && Self.localPort(fd) == port && !Self.isListening(fd)
        }
        if accepted.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
      }
      #expect(!accepted.isEmpty, "the server's end of the connection was not found")
      for fd in accepted {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0)
        #expect(value != 0, "TCP_NODELAY is off on descriptor \(fd)")
      }
      let status = try await RawHTTP.offThePool {
        client.send("Host: 127.0.0.1:\(port)\r\n\r\n")
        return String(client.receiveAll(limit: 12).prefix(12))
      }
      #expect(status == "HTTP/1.1 200")
    }

    static func localPort(_ fd: Int32) -> UInt16? {
      var address = sockaddr_in()
      var size = socklen_t(MemoryLayout<sockaddr_in>.size)
      let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
      }
      guard named == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
      return UInt16(bigEndian: address.sin_port)
    }

    static func isListening(_ fd: Int32) -> Bool {
      var accepting: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 && accepting != 0
    }
  }
#endif
