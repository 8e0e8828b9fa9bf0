import Testing
@testable import speechcmd

@Suite struct CommandLineTests {
  @Test func unknownSubcommandIsAUsageError() {
    #expect(throws: (any Error).self) { try SpeechCmd.parseAsRoot(["no-such-command"]) }
    do {
      _ = try SpeechCmd.parseAsRoot(["no-such-command"])
    } catch {
      #expect(SpeechCmd.exitCode(for: error).rawValue == 64)
    }
  }
}
