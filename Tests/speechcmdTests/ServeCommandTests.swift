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
  @Test func servesUntilInterrupted() async throws {
    let binary = try #require(RecognitionFixture.binary)
    let data = try TemporaryFolder()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = [
      "serve", "--model", RecognitionFixture.model, "--data", data.path, "--port", "0",
    ]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    var err = ""
    while !err.contains("/\n") {
      let chunk = errors.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      err += String(decoding: chunk, as: UTF8.self)
    }
    let line = try #require(err.split(separator: "\n").first { $0.hasPrefix("http://127.0.0.1:") })
    let (body, response) = try await URLSession.shared.data(
      from: URL(string: String(line) + "api/model")!)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    let card = try JSONSerialization.jsonObject(with: body) as? [String: Any]
    #expect(card?["labels"] as? [String] == SyntheticWords.labels)
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
}
