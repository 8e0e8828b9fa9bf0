import FlyingFox
import Foundation
import SpeechCommands

/// Every route of the page and the API, behind `RequestGuard`'s checks.
///
/// Routing is by method and path only; each handler validates its own query and body, and every
/// failure is a JSON `{"error": ...}` with a status (400 bad input, 403 refused, 404 unknown path
/// or file, 405 wrong method, 409 busy, 413 too large), never a crash.
struct APIRouter: HTTPHandler {
  let guardian: RequestGuard
  let assets: PageAssets
  let models: ModelStore
  let recordings: RecordingStore
  let training: TrainingRunner
  /// `--max-upload-mb` in bytes.
  let maxUploadBytes: Int

  func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
    if let refusal = guardian.refusal(for: request) { return refusal.response }
    do {
      return try await route(request)
    } catch {
      return error.response
    }
  }

  private func route(_ request: HTTPRequest) async throws(APIError) -> HTTPResponse {
    let path = request.path
    let method = request.method
    if let asset = assets.files[path] {
      try expect(method, .GET)
      return HTTPResponse(
        statusCode: .ok,
        headers: [.contentType: asset.type, .cacheControl: "no-cache"],
        body: asset.bytes)
    }
    let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    switch parts.dropFirst().first == "api" ? Array(parts.dropFirst(2)) : [] {
    case ["model"]:
      try expect(method, .GET)
      return JSONReply.make(raw: models.current.cardJSON)
    case ["model", "file"]:
      try expect(method, .GET)
      let served = models.current
      return HTTPResponse(
        statusCode: .ok,
        headers: [
          .contentType: "application/octet-stream",
          .contentDisposition:
            "attachment; filename=\"\(PathName.lastComponent(of: served.path))\"",
        ], body: served.bytes)
    case ["classify"]:
      try expect(method, .POST)
      let topK = try intQuery(request, "top_k", default: 3, range: 1...1000)
      let body = try await BodyReader.read(request, limit: maxUploadBytes)
      let served = models.current
      let answer = try await offload { () throws(APIError) in
        try ClassifyEndpoint.classify(body, topK: topK, model: served)
      }
      return JSONReply.make(answer)
    case ["listen"]:
      try expect(method, .GET)
      return try await listen(request)
    case ["recordings"]:
      if method == .GET { return JSONReply.make(["words": recordings.list()]) }
      try expect(method, .POST)
      let word = try query(request, "label")
      let speaker = try query(request, "speaker")
      try RecordingNames.checkWord(word)
      try RecordingNames.checkSpeaker(speaker)
      let body = try await BodyReader.read(request, limit: maxUploadBytes)
      let (store, rate) = (recordings, models.current.classifier.sampleRate)
      let saved = try await offload { () throws(APIError) in
        try store.add(body, word: word, speaker: speaker, sampleRate: rate)
      }
      return JSONReply.make(saved, status: 201)
    case let p where p.count == 3 && p[0] == "recordings":
      if method == .DELETE {
        try recordings.delete(word: p[1], file: p[2])
        return JSONReply.make(["deleted": p[1] + "/" + p[2]])
      }
      try expect(method, .GET)
      let file = try recordings.path(word: p[1], file: p[2])
      guard let bytes = FileManager.default.contents(atPath: file) else {
        throw .notFound("no recording '\(p[1])/\(p[2])'")
      }
      return HTTPResponse(statusCode: .ok, headers: [.contentType: "audio/wav"], body: bytes)
    case ["train"]:
      if method == .GET { return JSONReply.make(training.current) }
      try expect(method, .POST)
      return JSONReply.make(try training.start(), status: 202)
    case let p where p.count == 3 && p[0] == "train" && p[1] == "report":
      try expect(method, .GET)
      let types = [
        "curves.svg": "image/svg+xml", "confusion.svg": "image/svg+xml",
        "metrics.json": "application/json",
      ]
      guard let type = types[p[2]],
        let bytes = FileManager.default.contents(
          atPath: recordings.folder + "/" + RetrainJob.reportName + "/" + p[2])
      else { throw .notFound("no report file '\(p[2])' (train first)") }
      return HTTPResponse(statusCode: .ok, headers: [.contentType: type], body: bytes)
    default:
      throw .notFound("no such page or API: \(method.rawValue) \(path)")
    }
  }

  /// Upgrades `/api/listen?rate=R[&threshold=T]` to the detection WebSocket.
  private func listen(_ request: HTTPRequest) async throws(APIError) -> HTTPResponse {
    let rate = try intQuery(request, "rate", default: 16000, range: 1000...384_000)
    let classifier = models.current.classifier
    var options = ServedModelCard.listenOptions(for: classifier)
    if let text = request.query["threshold"] {
      guard let t = Float(text), (0...1).contains(t) else {
        throw .badRequest("threshold must be a number between 0 and 1, got '\(text)'")
      }
      options.recognizer.detectionThreshold = t
    }
    guard request.headers[.upgrade]?.lowercased() == "websocket" else {
      throw .badRequest("/api/listen is a WebSocket: send 'Upgrade: websocket'")
    }
    let socket = ListenSocket(classifier: classifier, rate: rate, options: options)
    do {
      return try await WebSocketHTTPHandler(handler: MessageFrameWSHandler(handler: socket))
        .handleRequest(request)
    } catch {
      throw .badRequest("WebSocket handshake failed: \(error.localizedDescription)")
    }
  }

  private func expect(_ method: HTTPMethod, _ wanted: HTTPMethod) throws(APIError) {
    if method != wanted {
      throw APIError(405, "\(method.rawValue) is not allowed here (use \(wanted.rawValue))")
    }
  }

  private func query(_ request: HTTPRequest, _ name: String) throws(APIError) -> String {
    guard let value = request.query[name], !value.isEmpty else {
      throw .badRequest("missing query parameter '\(name)'")
    }
    return value
  }

  private func intQuery(
    _ request: HTTPRequest, _ name: String, default value: Int, range: ClosedRange<Int>
  ) throws(APIError) -> Int {
    guard let text = request.query[name] else { return value }
    guard let n = Int(text), range.contains(n) else {
      throw .badRequest(
        "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'"
      )
    }
    return n
  }
}

extension Error {
  /// The JSON response for any error a handler throws: its own status for `APIError`, else 500.
  var response: HTTPResponse {
    (self as? APIError ?? APIError(500, "\(self)")).response
  }
}
