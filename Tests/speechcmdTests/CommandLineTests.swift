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

  /// A negative number after a long option is that option's value, checked against its range,
  /// not "a missing value" followed by an unknown option.
  @Test func negativeValuesReachTheirOptionsRangeCheck() {
    #expect(
      SpeechCmd.attachingNegativeNumbers(["listen", "--tolerance", "-1", "-", "--rate", "8000"])
        == ["listen", "--tolerance=-1", "-", "--rate", "8000"])
    #expect(
      SpeechCmd.attachingNegativeNumbers(["train", "--noise-snr", "-5:20", "-", "--hidden", "-"])
        == ["train", "--noise-snr=-5:20", "-", "--hidden", "-"])
    #expect(
      SpeechCmd.attachingNegativeNumbers(["classify", "--", "--top-k", "-2"])
        == ["classify", "--", "--top-k", "-2"])
    do {
      _ = try SpeechCmd.parseAsRoot(
        SpeechCmd.attachingNegativeNumbers(["listen", "--tolerance", "-1", "x.wav"]))
      Issue.record("accepted a negative tolerance")
    } catch {
      #expect(SpeechCmd.exitCode(for: error).rawValue == 64)
      #expect(SpeechCmd.message(for: error).contains("--tolerance must not be negative"))
    }
  }

  /// A diagnostic naming a file with a line break in its name stays one line.
  @Test func diagnosticsStayOneLine() {
    #expect(LineOutput.oneLine("'a\nb.wav' does not exist") == #"'a\nb.wav' does not exist"#)
    #expect(LineOutput.oneLine("x\r\ny\rz") == #"x\r\ny\rz"#)
    #expect(LineOutput.oneLine("plain") == "plain")
  }
}
