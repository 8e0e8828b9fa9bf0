import Foundation
import SpeechTestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// `speechcmd serve`: hands over to the `speechcmd-serve` executable, prints its address when
/// ready, answers, and stops cleanly on Ctrl-C.
@Suite(
  .enabled(
    if: RecognitionFixture.binary != nil, "the speechcmd executable is not built next to the tests")
)
struct ServeCommandTests {
  /// Starts `speechcmd serve ARGUMENTS --port PORT` and returns it with the address it printed
  /// (nil if it exited first) and what it wrote to standard error.
  static func serve(_ arguments: [String], port: Int = 0) throws -> (Process, String?, String) {
    let binary = try #require(RecognitionFixture.binary)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["serve"] + arguments + ["--port", "\(port)"]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    var err = ""
    while !err.contains("/\n") {
      let chunk = errors.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      err += String(decoding: chunk, as: UTF8.self)
    }
    let line = err.split(separator: "\n").first { $0.hasPrefix("http://127.0.0.1:") }
    return (process, line.map(String.init), err)
  }

  @Test func servesOverHTTPUntilInterrupted() async throws {
    let data = try TemporaryFolder()
    let (process, address, err) = try Self.serve(
      ["--model", RecognitionFixture.model, "--data", data.path])
    let base = try #require(address, "no address printed: \(err)")
    let (body, response) = try await URLSession.shared.data(from: URL(string: base + "api/model")!)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    let card = try JSONSerialization.jsonObject(with: body) as? [String: Any]
    #expect(card?["labels"] as? [String] == SyntheticWords.labels)

    var request = URLRequest(url: URL(string: base + "api/classify")!)
    request.httpMethod = "POST"
    request.httpBody = try Data(contentsOf: URL(fileURLWithPath: RecognitionFixture.clips[0]))
    let (answer, classified) = try await URLSession.shared.data(for: request)
    #expect((classified as? HTTPURLResponse)?.statusCode == 200)
    let result = try JSONSerialization.jsonObject(with: answer) as? [String: Any]
    #expect(result?["label"] as? String == RecognitionFixture.words[0])

    // A second server on the same port: a one-line error naming the address.
    let port = try #require(Int(base.split(separator: ":").last!.dropLast()))
    let (second, _, secondErr) = try Self.serve(
      ["--model", RecognitionFixture.model, "--data", data.path], port: port)
    second.waitUntilExit()
    #expect(second.terminationStatus != 0)
    #expect(secondErr.contains("cannot listen on 127.0.0.1:\(port)"), "\(secondErr)")

    process.interrupt()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
  }

  @Test func aDamagedModelIsAOneLineError() throws {
    let binary = try #require(RecognitionFixture.binary)
    let folder = try TemporaryFolder()
    try folder.write("bad.safetensors", "not a model")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["serve", "--model", folder.file("bad.safetensors"), "--port", "0"]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus != 0)
    #expect(err.contains("bad.safetensors"))
    #expect(err.split(separator: "\n").count == 1, "\(err)")
  }

  /// An address that cannot be bound gets its error alone, not first the warning for a server
  /// reachable from the network.
  @Test func anUnusableHostIsOneLine() throws {
    let data = try TemporaryFolder()
    let (process, address, err) = try Self.serve(
      ["--model", RecognitionFixture.model, "--data", data.path, "--host", "nonsense"])
    process.waitUntilExit()
    #expect(address == nil)
    #expect(process.terminationStatus != 0)
    #expect(err.contains("cannot listen on nonsense"), "\(err)")
    #expect(!err.contains("warning"), "\(err)")
  }
}
