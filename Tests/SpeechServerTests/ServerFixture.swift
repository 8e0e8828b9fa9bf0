import FlyingFox
import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel
import SpeechTestSupport

@testable import SpeechServer

/// A synthetic-word model on disk and routers over it, for in-process requests (no sockets).
enum ServerFixture {
  /// The port the routers believe they listen on (the Host checks use it).
  static let port: UInt16 = 8080
  /// `Host` of a request to this server.
  static let host = "127.0.0.1:8080"

  /// A folder holding `model.safetensors` (the synthetic words' model), kept for the whole run.
  static let folder: TemporaryFolder = {
    do {
      let folder = try TemporaryFolder.forProcess("speechcmd-serve-test")
      try SyntheticWords.trainModel().save(to: folder.file("model.safetensors"))
      return folder
    } catch { fatalError("cannot make the test model: \(error)") }
  }()

  static var modelPath: String { folder.file("model.safetensors") }

  /// The model as `classify` loads it.
  static let classifier: Classifier = {
    do { return try Classifier(modelAt: modelPath) } catch { fatalError("\(error)") }
  }()

  /// A router over the model with a fresh data folder (`maxUploadBytes` default 1 MB).
  static func router(maxUploadBytes: Int = 1 << 20, modelPath: String = modelPath) throws
    -> (APIRouter, TemporaryFolder)
  {
    let data = try TemporaryFolder("speechcmd-serve-data")
    var options = ServerOptions(modelPath: modelPath)
    options.port = port
    options.dataFolder = data.path
    options.maxUploadBytes = maxUploadBytes
    return (try SpeechServer.makeRouter(options: options, port: port), data)
  }

  /// Options for a real server on the loopback address: the fixture's model, a fresh data folder
  /// (returned, to keep it alive) and `port` (0: any free port).
  static func socketOptions(port: UInt16 = 0) throws -> (ServerOptions, TemporaryFolder) {
    let data = try TemporaryFolder("speechcmd-serve-data")
    var options = ServerOptions(modelPath: modelPath)
    options.port = port
    options.dataFolder = data.path
    return (options, data)
  }

  /// One synthetic take of `label` (1 s at `sampleRate`) as 16-bit WAV bytes.
  static func wav(_ label: String, seed: UInt64, sampleRate: Int = 16000) throws -> Data {
    var rng = SeededGenerator(seed: seed)
    let clip = SyntheticWords.clip(label, sampleRate: sampleRate, using: &rng)
    let folder = try TemporaryFolder()
    let path = folder.file("take.wav")
    try AudioFile.write(clip, sampleRate: sampleRate, to: path)
    return try Data(contentsOf: URL(fileURLWithPath: path))
  }
}

/// What a request got back.
struct Reply {
  var status: Int
  var body: Data
  var headers: HTTPHeaders

  /// The body as a JSON object.
  var json: [String: Any] {
    (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
  }

  /// The `error` of a JSON error body.
  var error: String { json["error"] as? String ?? "" }
}

extension APIRouter {
  /// Sends one request to the router, as the server would after parsing it.
  func send(
    _ method: HTTPMethod, _ target: String, body: Data = Data(),
    headers: [HTTPHeader: String] = [.host: ServerFixture.host]
  ) async throws -> Reply {
    let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
    let query = (parts.count > 1 ? parts[1] : "").split(separator: "&").map { pair in
      let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
      return HTTPRequest.QueryItem(
        name: kv[0], value: kv.count > 1 ? kv[1].removingPercentEncoding ?? kv[1] : "")
    }
    let request = HTTPRequest(
      method: method, version: .http11, path: parts[0], query: query, headers: headers, body: body)
    let response = try await handleRequest(request)
    let body = try await response.bodyData
    return Reply(status: response.statusCode.code, body: body, headers: response.headers)
  }
}
