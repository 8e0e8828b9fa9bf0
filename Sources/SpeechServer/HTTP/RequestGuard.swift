import FlyingFox
import Foundation

/// The checks that keep other web sites away from a server on the user's machine.
///
/// - DNS rebinding: a page from `evil.example` whose name later resolves to 127.0.0.1 reaches
///   the server with `Host: evil.example`. Only the server's own names are accepted: `localhost`,
///   the loopback literals, the `--host` it was given, and (when bound to every interface) any IP
///   literal, which no DNS answer can rebind. Anything else is 403.
/// - Cross-site requests: any page may POST to 127.0.0.1 or open a WebSocket to it. Requests that
///   change something (POST, DELETE) and WebSocket upgrades must carry no `Origin` (curl, scripts)
///   or exactly the server's own, `http://` + the `Host` header; anything else is 403.
struct RequestGuard: Sendable {
  /// The bound address as given (`--host`).
  let host: String
  /// The port the server listens on (the one bound, when `--port 0` asked for any).
  let port: UInt16

  /// nil when `request` may proceed, else the 403 to answer.
  func refusal(for request: HTTPRequest) -> APIError? {
    guard let hostHeader = request.headers[.host], isOwn(hostHeader: hostHeader) else {
      return .forbidden("Host '\(request.headers[.host] ?? "")' is not this server's address")
    }
    let changes = request.method == .POST || request.method == .DELETE || request.method == .PUT
    let upgrade = request.headers[.upgrade]?.lowercased() == "websocket"
    if changes || upgrade, let origin = request.headers[HTTPHeader("Origin")],
      origin != "http://" + hostHeader
    {
      return .forbidden("cross-site request from Origin '\(origin)' refused")
    }
    return nil
  }

  /// Whether a `Host` header (`name[:port]`) names this server.
  func isOwn(hostHeader: String) -> Bool {
    let (name, headerPort) = Self.split(hostHeader)
    if let headerPort, headerPort != port { return false }
    if headerPort == nil && port != 80 { return false }
    let own: Set<String> = ["localhost", "127.0.0.1", "::1", host.lowercased()]
    if own.contains(name) { return true }
    let wildcard = host == "0.0.0.0" || host == "::"
    return wildcard && Self.isIPLiteral(name)
  }

  /// `name` (lower-cased, IPv6 brackets removed) and the port of a `Host` header.
  static func split(_ header: String) -> (name: String, port: UInt16?) {
    let value = header.trimmingCharacters(in: .whitespaces).lowercased()
    if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
      let name = String(value[value.index(after: value.startIndex)..<close])
      let rest = value[value.index(after: close)...]
      return (name, rest.hasPrefix(":") ? UInt16(rest.dropFirst()) ?? 0 : nil)
    }
    let parts = value.split(separator: ":", omittingEmptySubsequences: false)
    if parts.count == 2 { return (String(parts[0]), UInt16(parts[1]) ?? 0) }
    return (value, nil)
  }

  /// Whether `name` is a numeric IPv4 or IPv6 address.
  static func isIPLiteral(_ name: String) -> Bool {
    var v4 = in_addr()
    var v6 = in6_addr()
    return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
  }
}
