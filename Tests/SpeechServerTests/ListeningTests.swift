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

  /// A server whose model is unusable fails at once and leaves its port free (the gate had
  /// bound it already, and once waited for ever for an accept loop that never started).
  @Test(.timeLimit(.minutes(1))) func aFailedSetUpFreesThePort() async throws {
    var (options, data) = try ServerFixture.socketOptions()
    defer { withExtendedLifetime(data) {} }
    let probe = try await SpeechServer(options: options)
    options.port = await probe.port
    await probe.stop()

    let folder = try TemporaryFolder()
    try folder.write("bad.safetensors", "not a model")
    var broken = options
    broken.modelPath = folder.file("bad.safetensors")
    do {
      _ = try await SpeechServer(options: broken)
      Issue.record("served a damaged model")
    } catch {
      guard case .model(let reason) = error else { throw error }
      #expect(reason.contains("bad.safetensors"))
    }
    let again = try await SpeechServer(options: options)
    #expect(await again.port == options.port)
    await again.stop()
  }
}
