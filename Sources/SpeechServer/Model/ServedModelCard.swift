import Foundation
import SpeechCommands
import SpeechModel

/// What `GET /api/model` answers: the served model's labels, front end, accuracy and operating
/// point, read from the model file's metadata.
///
/// The page reads `labels` for its bars, `threshold` as the default of its slider, and
/// `sampleRate`/`clipSeconds` for recording.
struct ServedModelCard: Codable, Sendable, Equatable {
  /// The class names, in the network's output order.
  var labels: [String]
  /// Sample rate in Hz the model hears; uploads and streams are converted to it.
  var sampleRate: Int
  /// Seconds of audio in one window.
  var clipSeconds: Double
  /// The operating point: the decision threshold stored in the model, else `listen`'s default 0.7.
  var threshold: Float
  /// Whether `threshold` was stored in the model (false: `listen`'s default).
  var thresholdStored: Bool
  /// "ce" (softmax) or "bce" (sigmoids).
  var loss: String
  /// Hidden layer sizes.
  var hidden: [Int]
  /// Features per window.
  var inputSize: Int
  /// The front end's settings (the model's stored JSON).
  var frontEnd: [String: JSONValue]
  /// Validation accuracy recorded by training (0–1), if any.
  var validationAccuracy: Double?
  /// Test accuracy recorded by training (0–1), if any.
  var testAccuracy: Double?
  /// Everything else training recorded (data, clips, epochs, seed, date...).
  var training: [String: String]
  /// File name of the model (no folders: the page shows it, the API never takes paths).
  var file: String
  /// Size of the model file in bytes.
  var fileBytes: Int

  /// `listen`'s default detection threshold, the operating point of models that store none.
  static let defaultThreshold: Float = ScoreSmoother.Options().detectionThreshold

  /// The card of `model` loaded from `path` (`fileBytes` long).
  init(model: ModelFile, classifier: Classifier, path: String, fileBytes: Int) {
    let metadata = model.metadata
    labels = classifier.labels
    sampleRate = classifier.sampleRate
    clipSeconds = classifier.frontEnd.config.clipSeconds
    threshold = metadata.threshold ?? Self.defaultThreshold
    thresholdStored = metadata.threshold != nil
    loss = metadata.loss.rawValue
    hidden = model.network.hidden
    inputSize = classifier.inputSize
    frontEnd =
      (try? JSONDecoder().decode([String: JSONValue].self, from: Data(metadata.featureConfig.utf8)))
      ?? [:]
    validationAccuracy = metadata.training["accuracy"].flatMap(Double.init)
    testAccuracy = metadata.training["testAccuracy"].flatMap(Double.init)
    training = metadata.training.filter { $0.key != "options" }
    file = (path as NSString).lastPathComponent
    self.fileBytes = fileBytes
  }
}

/// Any JSON value, to pass the model's stored front-end JSON through unchanged.
enum JSONValue: Codable, Sendable, Equatable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case array([JSONValue])
  case object([String: JSONValue])
  case null

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .number(let n): try c.encode(n)
    case .string(let s): try c.encode(s)
    case .bool(let b): try c.encode(b)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    case .null: try c.encodeNil()
    }
  }
}
