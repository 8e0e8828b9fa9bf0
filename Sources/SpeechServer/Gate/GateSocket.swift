import FlyingSocks
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The socket calls of the gate, on blocking descriptors (one thread per connection).
enum GateSocket {
  /// A TCP socket listening on `host` (an IPv4 or IPv6 literal, or `localhost`) and `port`
  /// (0: any free one), with Nagle's algorithm off, and the port it is bound to.
  ///
  /// `TCP_NODELAY`: a response's head and body may leave in two writes; with Nagle on, the body
  /// waited for the client's delayed acknowledgement of the head, 40 ms on every request. Linux
  /// passes the option on to every connection the socket accepts.
  static func listen(host: String, port: UInt16) throws(ServerError) -> (fd: Int32, port: UInt16) {
    func failure(_ reason: String) -> ServerError {
      .cannotListen(host: host, port: port, reason: reason)
    }
    let name = host == "localhost" ? "127.0.0.1" : host
    var storage = sockaddr_storage()
    let length: socklen_t
    if let v4 = try? sockaddr_in.inet(ip4: name, port: port) {
      withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: v4) { raw.copyMemory(from: $0) } }
      length = socklen_t(MemoryLayout<sockaddr_in>.size)
    } else if let v6 = try? sockaddr_in6.inet6(ip6: name, port: port) {
      withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: v6) { raw.copyMemory(from: $0) } }
      length = socklen_t(MemoryLayout<sockaddr_in6>.size)
    } else {
      throw failure("not an IP address (give e.g. 127.0.0.1 or 0.0.0.0)")
    }
    let fd = socket(Int32(storage.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw failure(systemReason()) }
    var on: Int32 = 1
    let size = socklen_t(MemoryLayout<Int32>.size)
    _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, size)
    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, size)
    let bound = withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0, Glibc.listen(fd, SOMAXCONN) == 0 else {
      let reason = systemReason()
      close(fd)
      throw failure(reason)
    }
    var named = sockaddr_storage()
    var namedLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
    _ = withUnsafeMutablePointer(to: &named) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &namedLength) }
    }
    let boundPort = withUnsafeBytes(of: &named) { raw -> UInt16 in
      // sin_port and sin6_port both follow the 2-byte family, in network byte order.
      UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self))
    }
    return (fd, boundPort)
  }

  /// A connection to the Unix socket in Linux's abstract namespace called `name` (as FlyingFox
  /// binds `sockaddr_un.unix(abstractNamespace:)`), or nil.
  static func connect(abstract name: String) -> Int32? {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return nil }
    let address = sockaddr_un.unix(abstractNamespace: name)
    let connected = address.withSockAddr { Glibc.connect(fd, $0, $1) }
    guard connected == 0 else {
      close(fd)
      return nil
    }
    return fd
  }

  /// Waits until `fd` has bytes (or an end) to read, at most `seconds`: false on time-out.
  static func waitReadable(_ fd: Int32, seconds: Double) -> Bool {
    var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let milliseconds = Int32(max(0, min(seconds * 1000, Double(Int32.max))).rounded(.up))
    while true {
      let ready = poll(&entry, 1, milliseconds)
      if ready < 0 && errno == EINTR { continue }
      return ready > 0
    }
  }

  /// Reads what `fd` has into `buffer`: the count, 0 at the end, −1 on an error.
  static func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
    while true {
      let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if count < 0 && errno == EINTR { continue }
      return count
    }
  }

  /// Writes all of `bytes` to `fd`; false when the peer is gone.
  @discardableResult
  static func send(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
    let array = Array(bytes)
    guard !array.isEmpty else { return true }
    var offset = 0
    while offset < array.count {
      let sent = array.withUnsafeBytes {
        Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
      }
      if sent < 0 && errno == EINTR { continue }
      guard sent > 0 else { return false }
      offset += sent
    }
    return true
  }

  /// The system's words for the last failure ("Address already in use").
  static func systemReason() -> String {
    String(cString: strerror(errno))
  }
}
