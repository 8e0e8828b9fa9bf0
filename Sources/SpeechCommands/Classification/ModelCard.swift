import Foundation
import SpeechFeatures
import SpeechModel

/// What a model file holds, for people and for programs: labels, front end, network, loss,
/// training data, accuracy, calibration and the streaming operating point. `speechcmd info
/// MODEL.safetensors` prints it; its JSON form (`Codable`, keys sorted) is what web pages serve.
///
/// Built only from the file: nothing is recomputed, so a card describes the model exactly as
/// training recorded it. Fields a model does not record (older files) are nil.
public struct ModelCard: Codable, Sendable, Equatable {
  /// The front end as a person reads it.
  public struct FrontEndSummary: Codable, Sendable, Equatable {
    /// The named MFCC preset the settings equal (`MFCCConfig.presetNames`), or nil for custom ones.
    public var preset: String?
    /// Rate audio is decoded at, in Hz.
    public var sampleRate: Int
    /// Clip (window) length in seconds.
    public var clipSeconds: Double
    /// Length of the loudest part centred in every clip, in seconds (nil: the legacy rule).
    public var focusSeconds: Double?
    /// MFCC frames per clip.
    public var frames: Int
    /// Values per frame (coefficients, deltas included).
    public var coefficientsPerFrame: Int
    /// Network inputs: `frames × coefficientsPerFrame`.
    public var inputSize: Int
    /// First/second-order deltas appended: `none`, `first` or `second`.
    public var deltas: String
    /// Per-utterance normalisation: `none`, `mean` or `meanVariance`.
    public var normalization: String
    /// Mel filters.
    public var melBands: Int
    /// Lower and upper edge of the mel filter bank, in Hz (the upper one is below the Nyquist
    /// frequency for a model trained on band-limited recordings: `RecordingBandwidth`).
    public var melRange: [Double]
    /// Shifts in seconds of the views of a clip whose probabilities are averaged when
    /// classifying (`FrontEndConfig.viewShifts`; `[0]`: the clip alone).
    public var viewShifts: [Double]
  }

  /// The network's shape.
  public struct NetworkSummary: Codable, Sendable, Equatable {
    /// Inputs, hidden widths and outputs.
    public var input: Int
    public var hidden: [Int]
    public var output: Int
    /// Weights and biases.
    public var parameters: Int
    /// Training dropout of the hidden layers.
    public var dropout: Float
    /// Hidden activation.
    public var activation: String
    /// Convolutions over the input frames before the hidden layers (`64x5,64x3d2`; see
    /// `FrameConvolution.description`), or nil for a plain MLP.
    public var convolution: String?
    /// Values the convolutions hand the first dense layer (output frames × channels), or nil
    /// for a plain MLP, whose dense layers read the `input` values themselves.
    public var convolutionOutput: Int?
  }

  /// What the model was trained on, as training recorded it.
  public struct DataSummary: Codable, Sendable, Equatable {
    /// Data folders and manifests.
    public var sources: [String]
    /// Clips per split (`train`, `validation`, `test`).
    public var clips: [String: Int]
    /// The `--words` kept (others folded into `_unknown_`), if any.
    public var words: [String]?
    /// Epochs run and the one kept.
    public var epochs: Int?
    public var bestEpoch: Int?
    /// Why training stopped.
    public var stop: String?
    /// The seed and the date recorded.
    public var seed: String?
    public var date: String?
    /// The model this one was retrained from, if any.
    public var from: String?
    /// Clips of the final training on the training and validation splits together
    /// (`RefitOnValidation`); nil when the network trained on the training split alone.
    public var refitClips: Int? = nil
  }

  /// The replay memory a model keeps for retraining without the old data (`ReplayMemory`).
  public struct MemorySummary: Codable, Sendable, Equatable {
    /// Rows in all.
    public var rows: Int
    /// Rows of each label that has any.
    public var rowsPerLabel: [String: Int]
    /// Bytes of the two tensors in the file.
    public var bytes: Int
  }

  /// The model file's path and size in bytes.
  public var path: String
  public var fileBytes: Int?
  /// Class names in output order; `commandWords` are those `listen` reports (not `_…_`).
  public var labels: [String]
  public var commandWords: [String]
  public var frontEnd: FrontEndSummary
  public var network: NetworkSummary
  /// `ce` (softmax cross-entropy) or `bce` (one-vs-rest sigmoid).
  public var loss: String
  public var data: DataSummary
  /// Accuracy per split of the saved network (`train`, `validation`, `test`), in [0, 1].
  public var accuracy: [String: Double]
  /// The calibration temperature folded into the output layer (nil: not calibrated).
  public var logitScale: Double?
  /// Whether the calibration and the operating point are the old model's, carried over by a
  /// retraining that could not fit its own (training's `inherited` key).
  public var calibrationInherited: Bool
  public var operatingPointInherited: Bool
  /// The decision threshold `classify` uses by default (nil: none).
  public var threshold: Float?
  /// The streaming settings `listen` uses by default (nil: `listen`'s own defaults).
  public var operatingPoint: OperatingPoint?
  /// The replay memory (nil: none stored).
  public var memory: MemorySummary?
  /// Everything training recorded, as stored (strings).
  public var training: [String: String]

  /// The card of `model`; `path` and `fileBytes` only describe where it came from.
  public init(model: ModelFile, path: String, fileBytes: Int? = nil) throws(ModelLoadError) {
    let classifier = try Classifier(model: model, path: path)
    let meta = model.metadata
    let config = classifier.frontEnd.config
    let t = meta.training
    self.path = path
    self.fileBytes = fileBytes
    labels = meta.labels
    commandWords = meta.labels.filter { !$0.hasPrefix("_") }
    frontEnd = FrontEndSummary(
      preset: MFCCConfig.presetNames.first { MFCCConfig.preset(named: $0) == config.mfcc },
      sampleRate: config.sampleRate, clipSeconds: config.clipSeconds,
      focusSeconds: config.focusSeconds, frames: classifier.frontEnd.frames,
      coefficientsPerFrame: classifier.frontEnd.coefficients,
      inputSize: classifier.inputSize, deltas: config.mfcc.deltas.rawValue,
      normalization: config.mfcc.normalization.rawValue, melBands: config.mfcc.melBands,
      melRange: [config.mfcc.minFrequency, config.mfcc.resolvedMaxFrequency],
      viewShifts: config.viewShifts ?? [0])
    let a = meta.architecture
    network = NetworkSummary(
      input: a.input, hidden: a.hidden, output: a.output,
      parameters: model.network.parameters.count, dropout: a.dropout, activation: a.activation,
      convolution: a.convolution?.description,
      convolutionOutput: model.network.convolution?.outputSize)
    loss = meta.loss.rawValue
    data = DataSummary(
      sources: (t["data"] ?? "").split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }.filter { !$0.isEmpty },
      clips: Self.clipCounts(t["clips"] ?? ""),
      words: t["words"].map { $0.split(separator: ",").map(String.init) },
      epochs: t["epochs"].flatMap { Int($0) }, bestEpoch: t["bestEpoch"].flatMap { Int($0) },
      stop: t["stop"], seed: t["seed"], date: t["date"], from: t["from"],
      refitClips: t["refitClips"].flatMap { Int($0) })
    var accuracy: [String: Double] = [:]
    for (key, split) in [
      ("trainAccuracy", "train"), ("accuracy", "validation"),
      ("testAccuracy", "test"),
    ] {
      if let value = t[key].flatMap(Self.finite), (0...1).contains(value) {
        accuracy[split] = value
      }
    }
    self.accuracy = accuracy
    logitScale = t["logitScale"].flatMap(Self.finite).flatMap { $0 > 0 && $0 <= 1000 ? $0 : nil }
    let inherited = Set((t[TrainingMetadataKeys.inherited] ?? "").split(separator: ","))
    calibrationInherited = inherited.contains("calibration")
    operatingPointInherited = inherited.contains("operatingPoint")
    threshold = classifier.storedThreshold
    operatingPoint = meta.operatingPoint.flatMap { OperatingPoint(jsonString: $0) }
    memory = model.memory.map { m in
      let counts = m.rowsByLabel(classes: meta.labels.count).map(\.count)
      return MemorySummary(
        rows: m.rows,
        rowsPerLabel: Dictionary(
          uniqueKeysWithValues: zip(meta.labels, counts).filter { $0.1 > 0 }),
        bytes: 4 * m.rows * (m.inputs + 1))
    }
    training = t
  }

  /// Loads the model at `path` and describes it; errors name the file.
  public static func load(at path: String) throws(ModelLoadError) -> ModelCard {
    let model: ModelFile
    do {
      model = try ModelFile.load(at: path)
    } catch {
      throw .modelUnreadable(path: path, reason: error.problem)
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
    return try ModelCard(model: model, path: path, fileBytes: size)
  }

  /// The card as one JSON object with sorted keys.
  public func jsonString() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// A recorded figure as a finite number; nil for text that is not one (`nan` in an edited
  /// file would otherwise stop the JSON card, which has no NaN). Accuracies outside [0, 1] and
  /// logit scales outside (0, 1000] are left out as well: no training writes them.
  static func finite(_ text: String) -> Double? {
    Double(text).flatMap { $0.isFinite ? $0 : nil }
  }

  /// "train 1900, validation 300, test 0" (training's `clips` entry) as a dictionary.
  static func clipCounts(_ text: String) -> [String: Int] {
    var counts: [String: Int] = [:]
    for part in text.split(separator: ",") {
      let words = part.split(separator: " ")
      if words.count == 2, let n = Int(words[1]) { counts[String(words[0])] = n }
    }
    return counts
  }
}

/// Keys of `ModelMetadata.training` written by training and read by the model card.
public enum TrainingMetadataKeys {
  /// What a retrained model carries over from the old one because it could not fit its own:
  /// a comma-separated list of `calibration` and `operatingPoint`.
  public static let inherited = "inherited"
}
