import Foundation
import HTTPHead

#if canImport(Glibc)
  import Glibc
#endif

/// The socket `speechcmd serve` listens on: it reads each request's head itself, within
/// `HeadLimits`, and passes the connection on to the HTTP server behind it (FlyingFox, on a Unix
/// socket in Linux's abstract namespace, which a web page cannot reach).
///
/// Why: FlyingFox reads request heads without a size limit in time quadratic in a line's length,
/// so one request with a huge URL or header kept the server from answering anything for minutes.
/// Each connection carries one request (see `ClosingHead`), so every head passes the gate.
final class HeadGate: @unchecked Sendable {
  /// The TCP port clients connect to.
  let port: UInt16
  /// Most connections served at once; more are answered 503 at once. Each holds a thread.
  let maxConnections: Int

  private let listener: Int32
  private let backend: String
  private let limits: HeadLimits
  private let lock = NSLock()
  private var open = 0
  private var started = false
  private var stopping = false
  private let acceptEnded = DispatchSemaphore(value: 0)

  /// Binds `host:port` (refused at once with the system's reason, e.g. a port in use); nothing
  /// is accepted before `start()`.
  init(host: String, port: UInt16, backend: String, limits: HeadLimits, maxConnections: Int)
    throws(ServerError)
  {
    (listener, self.port) = try GateSocket.listen(host: host, port: port)
    self.backend = backend
    self.limits = limits
    self.maxConnections = maxConnections
  }

  /// Starts accepting connections on a thread of its own.
  func start() {
    let first = lock.withLock {
      defer { started = true }
      return !started && !stopping
    }
    guard first else { return }
    Thread.detachNewThread { self.acceptConnections() }
  }

  /// Stops accepting and closes the listening socket (also when `start()` was never called:
  /// the server failed to set up); connections in progress end when the server behind closes
  /// them.
  func stop() {
    let (first, accepting) = lock.withLock {
      defer { stopping = true }
      return (!stopping, started)
    }
    guard first else { return }
    guard accepting else {
      close(listener)
      return
    }
    shutdown(listener, Int32(SHUT_RDWR))  // wakes the blocked accept()
    acceptEnded.wait()
  }

  private func acceptConnections() {
    defer {
      close(listener)
      acceptEnded.signal()
    }
    while true {
      let client = accept(listener, nil, nil)
      if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }  // not into training processes
      if lock.withLock({ stopping }) {
        if client >= 0 { close(client) }
        return
      }
      guard client >= 0 else {
        // EINTR, a connection reset before it was accepted, or out of descriptors for a moment.
        if errno != EINTR && errno != ECONNABORTED { usleep(10_000) }
        continue
      }
      let admitted = lock.withLock {
        guard open < maxConnections else { return false }
        open += 1
        return true
      }
      guard admitted else {
        GateSocket.send(
          client,
          GateReply.bytes(
            status: 503, phrase: "Service Unavailable",
            message: "more than \(maxConnections) connections at once"))
        close(client)
        continue
      }
      let connection = GatedConnection(client: client, backend: backend, limits: limits)
      Thread.detachNewThread {
        connection.run()
        self.lock.withLock { self.open -= 1 }
      }
    }
  }
}
