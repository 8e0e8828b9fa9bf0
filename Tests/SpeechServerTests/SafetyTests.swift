import FlyingFox
import Foundation
import Testing

@testable import SpeechServer

/// The checks that keep other web sites away: Host (DNS rebinding), Origin (cross-site requests),
/// names (path traversal), methods and unknown paths.
@Suite struct SafetyTests {
  @Test(arguments: [
    "evil.example:8080", "evil.example", "127.0.0.1:9999", "localhost.evil.example:8080", "",
  ])
  func foreignHostIs403(_ host: String) async throws {
    let (router, _) = try ServerFixture.router()
    let reply = try await router.send(.GET, "/api/model", headers: [.host: host])
    #expect(reply.status == 403)
    #expect(reply.error.contains("Host"))
    #expect(try await router.send(.GET, "/", headers: [.host: host]).status == 403)
  }

  @Test(arguments: ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "LOCALHOST:8080"])
  func ownHostIsServed(_ host: String) async throws {
    let (router, _) = try ServerFixture.router()
    #expect(try await router.send(.GET, "/api/model", headers: [.host: host]).status == 200)
  }

  @Test func wildcardBindAcceptsIPLiteralsButNotNames() {
    let all = RequestGuard(host: "0.0.0.0", port: 8080)
    #expect(all.isOwn(hostHeader: "192.168.1.20:8080"))
    #expect(all.isOwn(hostHeader: "[fe80::1]:8080"))
    #expect(!all.isOwn(hostHeader: "attacker.example:8080"))
    let one = RequestGuard(host: "192.168.1.20", port: 8080)
    #expect(one.isOwn(hostHeader: "192.168.1.20:8080"))
    #expect(!one.isOwn(hostHeader: "10.0.0.1:8080"))
  }

  @Test func crossSiteWritesAre403() async throws {
    let (router, data) = try ServerFixture.router()
    let wav = try ServerFixture.wav("low", seed: 3)
    let evil: [HTTPHeader: String] = [
      .host: ServerFixture.host, HTTPHeader("Origin"): "http://evil.example",
    ]
    let post = try await router.send(.POST, "/api/classify", body: wav, headers: evil)
    #expect(post.status == 403)
    #expect(post.error.contains("Origin"))
    let record = try await router.send(
      .POST, "/api/recordings?label=yes&speaker=me", body: wav, headers: evil)
    #expect(record.status == 403)
    #expect(try data.names().isEmpty)
    #expect(try await router.send(.POST, "/api/train", headers: evil).status == 403)
    let delete = try await router.send(
      .DELETE, "/api/recordings/yes/me_nohash_0.wav", headers: evil)
    #expect(delete.status == 403)
    let upgrade = try await router.send(
      .GET, "/api/listen?rate=16000",
      headers: evil.merging([.upgrade: "websocket", .connection: "Upgrade"]) { a, _ in a })
    #expect(upgrade.status == 403)
    // The page itself (same origin) and curl (no Origin) may write.
    let own: [HTTPHeader: String] = [
      .host: ServerFixture.host, HTTPHeader("Origin"): "http://" + ServerFixture.host,
    ]
    #expect(try await router.send(.POST, "/api/classify", body: wav, headers: own).status == 200)
    #expect(try await router.send(.POST, "/api/classify", body: wav).status == 200)
    // A cross-site GET of the page is harmless (the browser keeps its answer from the other site).
    #expect(try await router.send(.GET, "/api/model", headers: evil).status == 200)
  }

  @Test(arguments: [
    "..", "../x", ".hidden", "_unknown_", "_background_noise_", "a/b", "Yes", "",
    String(repeating: "a", count: 33), "naïve",
  ])
  func badLabelsAre400(_ label: String) async throws {
    let (router, data) = try ServerFixture.router()
    let encoded = label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? label
    let reply = try await router.send(
      .POST, "/api/recordings?label=\(encoded)&speaker=me",
      body: try ServerFixture.wav("low", seed: 3))
    #expect(reply.status == 400)
    #expect(try data.names().isEmpty)
  }

  @Test(arguments: ["a_b", "../me", ".me", "me/you", "", "x y"])
  func badSpeakersAre400(_ speaker: String) async throws {
    let (router, data) = try ServerFixture.router()
    let encoded = speaker.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? speaker
    let reply = try await router.send(
      .POST, "/api/recordings?label=yes&speaker=\(encoded)",
      body: try ServerFixture.wav("low", seed: 3))
    #expect(reply.status == 400)
    #expect(try data.names().isEmpty)
  }

  @Test func traversalInRecordingPathsIsRefused() async throws {
    let (router, _) = try ServerFixture.router()
    for target in [
      "/api/recordings/../model.safetensors", "/api/recordings/yes/..%2Fx.wav",
      "/api/recordings/yes/.hidden_nohash_0.wav", "/api/recordings/_unknown_/me_nohash_0.wav",
    ] {
      let reply = try await router.send(.DELETE, target)
      #expect([400, 404].contains(reply.status), "\(target): \(reply.status)")
    }
    #expect(FileManager.default.fileExists(atPath: ServerFixture.modelPath))
  }

  @Test func unknownPathsAre404AndWrongMethods405() async throws {
    let (router, _) = try ServerFixture.router()
    let missing = try await router.send(.GET, "/api/nothing")
    #expect(missing.status == 404)
    #expect(missing.error.contains("/api/nothing"))
    #expect(try await router.send(.GET, "/etc/passwd").status == 404)
    #expect(try await router.send(.GET, "/api/recordings/yes/me_nohash_0.wav").status == 404)
    #expect(try await router.send(.GET, "/api/train/report/curves.svg").status == 404)
    #expect(try await router.send(.GET, "/api/train/report/passwd").status == 404)
    #expect(try await router.send(.GET, "/api/classify").status == 405)
    #expect(try await router.send(.POST, "/api/model").status == 405)
    #expect(try await router.send(.DELETE, "/").status == 405)
  }

  @Test func listenNeedsAnUpgradeAndASensibleRate() async throws {
    let (router, _) = try ServerFixture.router()
    let upgrade: [HTTPHeader: String] = [
      .host: ServerFixture.host, .upgrade: "websocket", .connection: "Upgrade",
    ]
    #expect(try await router.send(.GET, "/api/listen?rate=16000").status == 400)
    #expect(try await router.send(.GET, "/api/listen?rate=5", headers: upgrade).status == 400)
    #expect(try await router.send(.GET, "/api/listen?rate=abc", headers: upgrade).status == 400)
    #expect(
      try await router.send(.GET, "/api/listen?rate=16000&threshold=2", headers: upgrade).status
        == 400)
  }

  @Test func thePageIsServedFromTheProgramWithoutOtherSites() async throws {
    let (router, _) = try ServerFixture.router()
    for path in ["/", "/app.js", "/style.css", "/capture-worklet.js"] {
      let reply = try await router.send(.GET, path)
      #expect(reply.status == 200, "\(path)")
      let text = String(decoding: reply.body, as: UTF8.self)
      #expect(!text.isEmpty)
      #expect(
        !text.contains("http://") && !text.contains("https://"), "\(path) refers to another site")
    }
  }
}
