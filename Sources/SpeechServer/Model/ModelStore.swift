import Foundation
import SpeechCommands
import SpeechModel

/// The model being served, swapped atomically when a retrained one is ready.
///
/// Requests take a `Served` snapshot once and use it throughout, so a swap never mixes two models
/// inside one request or WebSocket stream. Thread-safe.
final class ModelStore: @unchecked Sendable {
  /// One loaded model: its file, classifier and card.
  struct Served: Sendable {
    /// Where the model file is.
    var path: String
    /// The file's bytes, for `GET /api/model/file` (models are small: ~1–5 MB).
    var bytes: Data
    /// Ready to classify.
    var classifier: Classifier
    /// The model card.
    var card: ModelCard
    /// What `GET /api/model` answers (`ServedModelCard`).
    var cardJSON: Data
  }

  private let lock = NSLock()
  private var served: Served

  /// Loads the model at `path`; throws `ModelLoadError` naming it when it cannot be used.
  init(path: String) throws(ModelLoadError) {
    served = try Self.load(path)
  }

  /// The model now being served.
  var current: Served { lock.withLock { served } }

  /// Loads the model at `path` and serves it from now on; on error the old model stays.
  func switchTo(path: String) throws(ModelLoadError) {
    let next = try Self.load(path)
    lock.withLock { served = next }
  }

  /// Reads, checks and wraps one model file.
  static func load(_ path: String) throws(ModelLoadError) -> Served {
    let bytes: Data
    let model: ModelFile
    do {
      model = try ModelFile.load(at: path)
      bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch let error as ModelFileError {
      throw .modelUnreadable(path: path, reason: error.problem)
    } catch {
      throw .modelUnreadable(path: path, reason: "\(error)")
    }
    let classifier = try Classifier(model: model, path: path)
    let card = try ModelCard(model: model, path: path, fileBytes: bytes.count)
    let cardJSON: Data
    do {
      cardJSON = try ServedModelCard.json(card, classifier: classifier)
    } catch {
      throw .incompatibleModel(path: path, reason: "its model card cannot be written (\(error))")
    }
    return Served(
      path: path, bytes: bytes, classifier: classifier, card: card, cardJSON: cardJSON)
  }
}
