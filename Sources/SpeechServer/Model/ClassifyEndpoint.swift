import Foundation
import SpeechAudio
import SpeechCommands

/// `POST /api/classify`: one uploaded recording, classified exactly as `classify` does a file.
enum ClassifyEndpoint {
  /// One label with its probability, as JSON.
  struct Scored: Codable, Equatable, Sendable {
    var label: String
    var score: Float
  }

  /// The answer: the decision (`_unknown_` below the model's stored threshold, as `classify`)
  /// and the `top_k` best labels; `warning` (left out when nil) says the upload is cut short.
  struct Answer: Codable, Equatable, Sendable {
    var label: String
    var score: Float
    var top: [Scored]
    var warning: String? = nil
  }

  /// Decodes `bytes` (any format libsndfile reads) and classifies them with `model`.
  ///
  /// The upload goes to a private temporary file (libsndfile reads files), which is removed
  /// afterwards; the decoder's complaint is returned as 400 with the temporary name replaced by
  /// "the upload".
  static func classify(_ bytes: Data, topK: Int, model: ModelStore.Served) throws(APIError)
    -> Answer
  {
    var options = ClassifyOptions()
    options.topK = max(1, min(topK, model.classifier.labels.count))
    options.threshold = model.classifier.storedThreshold
    options.threads = 1
    let batch: BatchClassifier
    do {
      batch = try BatchClassifier(classifier: model.classifier, options: options)
    } catch {
      throw .badRequest("\(error)")
    }
    let result = try UploadFile.with(bytes) { path in batch.classify(batch: [.file(path)]) }
    switch result.first {
    case .classified(let path, let windows, let notice)?:
      let w = windows[0]
      return Answer(
        label: w.label, score: w.score, top: w.top.map { Scored(label: $0.label, score: $0.score) },
        warning: notice.map { UploadFile.naming($0, path) })
    case .failed(let path, let reason)?:
      throw .badRequest(UploadFile.naming(reason, path))
    case nil:
      throw APIError(500, "no result")
    }
  }
}
