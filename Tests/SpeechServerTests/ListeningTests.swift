import SpeechTestSupport
import Testing

@testable import SpeechServer

/// Starting the server: a port that cannot be bound is reported with the system's reason as soon
/// as binding fails (it used to wait out a 30 s time limit and say "timeout").
@Suite struct ListeningTests {
  @Test func aPortInUseIsRefusedWithTheSystemsReason() async throws {
    var (options, data) = try ServerFixture.socketOptions()
    defer { withExtendedLifetime(data) {} }
    let first = try await SpeechServer(options: options)
    defer { Task { await first.stop() } }

    options.port = await first.port
    do {
      let second = try await SpeechServer(options: options)
      await second.stop()
      Issue.record("a second server bound port \(options.port)")
    } catch {
      #expect(error == .cannotListen(host: "127.0.0.1", port: options.port, reason: "Address already in use"))
    }
  }
}
