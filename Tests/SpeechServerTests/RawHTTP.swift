import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A bare TCP client for the server's socket tests: bytes exactly as given, no HTTP library.
/// Its calls block, so tests make them inside `RawHTTP.offThePool`.
struct RawHTTP {
  /// Runs `body` on a thread of its own: blocked on a socket, it would hold one of the
  /// cooperative threads the server in the same process needs to answer.
  static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
      Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
  }

  let fd: Int32

  /// Connects to 127.0.0.1:`port`.
  init(port: UInt16) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard fd >= 0, connected == 0 else {
      Glibc.close(fd)
      throw POSIXError(.ECONNREFUSED)
    }
  }

  /// Sends `bytes` (as much as the server takes before it closes).
  func send(_ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
      let sent = bytes.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
      }
      guard sent > 0 else { return }
      offset += sent
    }
  }

  func send(_ text: String) { send(Array(text.utf8)) }

  /// Everything the server sends until it closes (or `seconds` pass, or `limit` bytes came), as
  /// text. The default wait is long because the server answers on the cooperative threads, which
  /// a parallel test run on two cores can keep busy with blocking work (training suites) for
  /// over a minute; an answering server replies in milliseconds, so only a starved one waits.
  func receiveAll(seconds: Double = 300, limit: Int = .max) -> String {
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    let deadline = Date().addingTimeInterval(seconds)
    while deadline.timeIntervalSinceNow > 0 && received.count < limit {
      var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&entry, 1, Int32(deadline.timeIntervalSinceNow * 1000) + 1) > 0 else { break }
      let count = recv(fd, &buffer, buffer.count, 0)
      guard count > 0 else { break }
      received += buffer[..<count]
    }
    return String(decoding: received, as: UTF8.self)
  }

  func close() { Glibc.close(fd) }

  /// One connection to 127.0.0.1:`port`: `text` sent, everything the server sends back until it
  /// closes (or `seconds` pass).
  static func exchange(port: UInt16, _ text: String, seconds: Double = 300) throws -> String {
    let client = try RawHTTP(port: port)
    defer { client.close() }
    client.send(text)
    return client.receiveAll(seconds: seconds)
  }
}
