#if canImport(Glibc)
  import Glibc
#endif

/// Turns off Nagle's algorithm for the server's connections (`TCP_NODELAY`).
///
/// Why: FlyingFox writes a response's header and body in two writes. With Nagle on, the body
/// waits until the client acknowledges the header, and clients delay that acknowledgement by up
/// to 40 ms, so every small response (a classification, a model card) took 44 ms at best
/// (`scripts/bench-serve.sh`: 181 requests/s with 8 clients whatever the CPU). FlyingFox offers no
/// socket options, so the listening socket is found among the process's descriptors by its port
/// and given `TCP_NODELAY`, which Linux passes on to every connection it accepts.
enum NoDelay {
  /// Sets `TCP_NODELAY` on the listening TCP socket bound to `port` (a no-op where there is none,
  /// or off Linux: responses are then only slower).
  static func setOnListeningSocket(port: UInt16) {
    #if canImport(Glibc)
      var on: Int32 = 1
      for fd in Int32(0)..<1024 where isListening(fd, port: port) {
        _ = setsockopt(
          fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
      }
    #endif
  }

  #if canImport(Glibc)
    /// Whether `fd` is a listening IPv4 or IPv6 socket bound to `port`.
    private static func isListening(_ fd: Int32, port: UInt16) -> Bool {
      var accepting: Int32 = 0
      var length = socklen_t(MemoryLayout<Int32>.size)
      guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting != 0
      else { return false }
      var storage = sockaddr_storage()
      var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
      let named = withUnsafeMutablePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) }
      }
      guard named == 0 else { return false }
      switch Int32(storage.ss_family) {
      case AF_INET:
        return withUnsafePointer(to: &storage) {
          $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
            UInt16(bigEndian: $0.pointee.sin_port) == port
          }
        }
      case AF_INET6:
        return withUnsafePointer(to: &storage) {
          $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
            UInt16(bigEndian: $0.pointee.sin6_port) == port
          }
        }
      default:
        return false
      }
    }
  #endif
}
