import Foundation
import Testing

/// One run of the built `speechcmd` binary: start-up, environment, standard input, exit status.
@Suite(
  .enabled(
    if: RecognitionFixture.binary != nil, "the speechcmd executable is not built next to the tests")
)
struct EndToEndTests {
  typealias F = RecognitionFixture

  /// Runs `executable` with `arguments`, its standard output to `output`, and returns its exit
  /// status and standard error.
  static func run(
    _ executable: String, _ arguments: [String], output: FileHandle = .nullDevice,
    environment: [String: String]? = nil
  ) throws -> (status: Int32, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, err)
  }

  /// Started with standard input or output closed (`<&-`, `>&-`, through the shell): `listen -`
  /// says standard input is closed (the first descriptor opened later once took its number and
  /// was read as the input), and output that cannot be written is reported as such.
  @Test func closedStandardDescriptorsAreSaid() throws {
    let binary = try #require(F.binary)
    let listen = try Self.run(
      "/bin/sh", ["-c", "exec \"$0\" listen -m \"$1\" - <&-", binary, F.model])
    #expect(listen.status == 64)
    #expect(listen.errors.contains("standard input is closed"), "\(listen.errors)")
    let classify = try Self.run(
      "/bin/sh", ["-c", "exec \"$0\" classify -m \"$1\" \"$2\" >&-", binary, F.model, F.clips[0]])
    #expect(classify.status == 1)
    #expect(classify.errors.contains("cannot write to standard output"), "\(classify.errors)")
  }

  @Test func classifyReadsPathsFromStandardInputWithTheModelFromTheEnvironment() throws {
    let binary = try #require(F.binary)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["classify", "--format", "csv", "-", "/nonexistent.wav"]
    var environment = ProcessInfo.processInfo.environment
    environment["SPEECHCMD_MODEL"] = F.model
    process.environment = environment
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data((F.clips.prefix(3).joined(separator: "\n") + "\n").utf8))
    try input.fileHandleForWriting.close()
    let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    let lines = F.lines(out)
    #expect(lines.count == 4)
    #expect(
      lines.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
        == zip(F.clips.prefix(3), F.words).map { "\($0),\($1)" })
    #expect(err.contains("/nonexistent.wav"))
  }

  /// Output that cannot be written (a full disk: `/dev/full`) is one line on standard error and
  /// status 1, for the commands that write lines as they go (`classify`) and for those that
  /// print (`info`); it crashed the first and went unnoticed by the second.
  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "no /dev/full"),
    arguments: [["classify", "--format", "csv"], ["info"]])
  func aFullDiskIsAnErrorNotACrash(command: [String]) throws {
    let binary = try #require(F.binary)
    var environment = ProcessInfo.processInfo.environment
    environment["SPEECHCMD_MODEL"] = F.model
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    let (status, err) = try Self.run(
      binary, command + Array(F.clips.prefix(3)), output: full, environment: environment)
    #expect(status == 1)
    #expect(err == "speechcmd: cannot write to standard output: No space left on device\n")
  }

  /// An error while running (not a usage error) is one line in the program's own form, for
  /// every command: it was swift-argument-parser's `Error: …` for some and `speechcmd: …` for
  /// others.
  @Test(arguments: [["listen", "x.wav"], ["evaluate", "x"], ["classify", "x.wav"]])
  func runtimeErrorsAreOneSpeechcmdLine(command: [String]) throws {
    let binary = try #require(F.binary)
    let (status, err) = try Self.run(
      binary, [command[0], "-m", "/nonexistent/m.safetensors"] + command.dropFirst())
    #expect(status == 1)
    #expect(err.hasPrefix("speechcmd: ") && err.contains("/nonexistent/m.safetensors"), "\(err)")
    #expect(F.lines(err).count == 1 && !err.contains("m.safetensors': model"), "\(err)")
  }

  /// A file name that is not UTF-8 (Latin-1 "é") is refused by name with a usage error, not
  /// reported missing under a name Swift made up for it. The shell passes the raw byte.
  @Test func anArgumentThatIsNotUTF8IsAUsageError() throws {
    let binary = try #require(F.binary)
    let (status, err) = try Self.run(
      "/bin/sh", ["-c", "exec \"$0\" classify \"$(printf 'lat\\351.wav')\"", binary])
    #expect(status == 64)
    #expect(err.hasPrefix("speechcmd: argument 2 ('lat\u{FFFD}.wav') is not valid UTF-8"), "\(err)")
  }
}
