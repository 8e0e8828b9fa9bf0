import Foundation
import SpeechCommands
import SpeechModel

/// What `GET /api/model` answers: the library's `ModelCard` (as `speechcmd info --format json`
/// prints it), plus what the page needs at the top level.
///
/// Added keys: `sampleRate` and `clipSeconds` (the front end's), `file` (the file's name; `path`
/// is replaced by it, and the data's `sources` and `from` are shortened the same way, so the
/// API never shows the server's folders) and `listen`, the streaming
/// settings `/api/listen` uses by default, which are `listen`'s (the model's operating point if
/// it has one, else `listen`'s defaults) — the page's threshold slider starts at its `threshold`.
enum ServedModelCard {
  /// The streaming settings a model is served with.
  struct ListenSettings: Codable, Equatable, Sendable {
    /// Averaged probability a word must exceed, in [0, 1].
    var threshold: Float
    /// Milliseconds of window results averaged.
    var averageWindowMs: Int64
    /// Milliseconds after a detection without another.
    var suppressionMs: Int64
    /// Window results needed before a decision.
    var minimumCount: Int
    /// Whether they come from the model's operating point (else `listen`'s defaults).
    var fromModel: Bool
  }

  /// `listen`'s detector options for `classifier`: its defaults with the model's operating point.
  static func listenOptions(for classifier: Classifier) -> SlidingWindowDetector.Options {
    var options = SlidingWindowDetector.Options()
    if let point = classifier.operatingPoint {
      options.recognizer = point.applied(to: options.recognizer)
    }
    return options
  }

  /// The JSON body for `card`, served from `classifier`.
  static func json(_ card: ModelCard, classifier: Classifier) throws -> Data {
    var object =
      try JSONSerialization.jsonObject(with: Data(try card.jsonString().utf8)) as? [String: Any]
      ?? [:]
    let recognizer = listenOptions(for: classifier).recognizer
    let listen = ListenSettings(
      threshold: recognizer.detectionThreshold, averageWindowMs: recognizer.averageWindowMs,
      suppressionMs: recognizer.suppressionMs, minimumCount: recognizer.minimumCount,
      fromModel: classifier.operatingPoint != nil)
    object["listen"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(listen))
    object["sampleRate"] = card.frontEnd.sampleRate
    object["clipSeconds"] = card.frontEnd.clipSeconds
    object["file"] = PathName.lastComponent(of: card.path)
    object["path"] = nil
    // The training data's folders and the model retrained from are named by their last
    // component too: they are paths on the server (a temporary folder, a home directory).
    if var data = object["data"] as? [String: Any] {
      if let sources = data["sources"] as? [String] {
        data["sources"] = sources.map { PathName.lastComponent(of: $0) }
      }
      if let from = data["from"] as? String { data["from"] = PathName.lastComponent(of: from) }
      object["data"] = data
    }
    return try JSONSerialization.data(
      withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
  }
}
