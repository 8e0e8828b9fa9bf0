import Foundation
import SpeechTestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

@testable import SpeechServer

/// The real server on a loopback port: binding, HTTP parsing and the JSON on the wire.
@Suite struct LoopbackTests {
  @Test func servesThePageAndClassifiesOverHTTP() async throws {
    let data = try TemporaryFolder()
    var options = ServerOptions(modelPath: ServerFixture.modelPath)
    options.port = 0
    options.dataFolder = data.path
    let server = try await SpeechServer(options: options)
    let port = await server.port
    #expect(port != 0)
    let base = URL(string: "http://127.0.0.1:\(port)")!
    let (page, pageResponse) = try await URLSession.shared.data(from: base)
    #expect((pageResponse as? HTTPURLResponse)?.statusCode == 200)
    #expect(String(decoding: page, as: UTF8.self).contains("<title>speechcmd</title>"))

    var request = URLRequest(url: base.appendingPathComponent("api/classify"))
    request.httpMethod = "POST"
    request.httpBody = try ServerFixture.wav("sweep", seed: 4)
    let (body, response) = try await URLSession.shared.data(for: request)
    #expect((response as? HTTPURLResponse)?.statusCode == 200)
    let answer = try JSONDecoder().decode(ClassifyEndpoint.Answer.self, from: body)
    #expect(answer.label == "sweep")
    await server.stop()
  }

  @Test func anAddressInUseIsAClearError() async throws {
    let data = try TemporaryFolder()
    var options = ServerOptions(modelPath: ServerFixture.modelPath)
    options.port = 0
    options.dataFolder = data.path
    let first = try await SpeechServer(options: options)
    options.port = await first.port
    await #expect(throws: ServerError.self) { try await SpeechServer(options: options) }
    await first.stop()
  }
}
