import Foundation
import SpeechModel

/// A label with its probability (softmax for cross-entropy models, sigmoid for BCE models).
public struct LabelScore: Sendable, Equatable {
  /// The class name, as stored in the model.
  public var label: String
  /// Probability in [0, 1].
  public var score: Float

  /// Creates a label–score pair.
  public init(label: String, score: Float) {
    self.label = label
    self.score = score
  }
}

/// A trained model ready to classify clips: its front end, its normalisation and its network.
///
/// Reproduces training's features exactly: the front end is rebuilt from the JSON stored in
/// `metadata.featureConfig`, and every feature is standardised with the stored
/// `inputMean`/`inputStd` before the network sees it. Thread-safe (a value type over immutable
/// parts); `probabilities(features:)` may run on many threads at once.
public struct Classifier: Sendable {
  /// The class names, in the order of the network's outputs.
  public let labels: [String]
  /// Turns decoded audio (at `frontEnd.config.sampleRate`) into one feature vector per clip.
  public let frontEnd: FrontEnd
  /// Softmax (cross-entropy) or independent sigmoids (binary cross-entropy).
  public let loss: LossKind
  /// The decision threshold stored by training (BCE models usually have one; else the operating
  /// point's), or nil.
  public let storedThreshold: Float?
  /// The streaming settings fitted by training (`listen`'s defaults for this model), or nil.
  public let operatingPoint: OperatingPoint?
  private let network: MLP
  /// Training's standardisation; zero or non-finite deviations are replaced by 1.
  private let normaliser: FeatureStandardiser

  /// Wraps a loaded model; throws `.incompatibleModel` when its parts disagree.
  ///
  /// `path` only names the model in error messages.
  public init(model: ModelFile, path: String = "model") throws(ModelLoadError) {
    let metadata = model.metadata
    let config: FrontEndConfig
    do {
      config = try FrontEndConfig(jsonString: metadata.featureConfig)
    } catch {
      throw .incompatibleModel(path: path, reason: "unreadable feature configuration (\(error))")
    }
    let frontEnd: FrontEnd
    do {
      frontEnd = try FrontEnd(config: config)
    } catch {
      throw .incompatibleModel(path: path, reason: "invalid feature configuration (\(error))")
    }
    let inputs = model.network.inputSize
    guard frontEnd.inputSize == inputs else {
      throw .incompatibleModel(
        path: path,
        reason: "the front end makes \(frontEnd.inputSize) features but the network reads \(inputs)"
      )
    }
    guard metadata.labels.count == model.network.outputSize, !metadata.labels.isEmpty else {
      throw .incompatibleModel(
        path: path,
        reason: "\(metadata.labels.count) labels for \(model.network.outputSize) network outputs")
    }
    guard metadata.inputMean.count == inputs, metadata.inputStd.count == inputs else {
      throw .incompatibleModel(
        path: path,
        reason: "normalisation has \(metadata.inputMean.count) means and "
          + "\(metadata.inputStd.count) deviations for \(inputs) features")
    }
    self.labels = metadata.labels
    self.frontEnd = frontEnd
    self.loss = metadata.loss
    self.operatingPoint = metadata.operatingPoint.flatMap { OperatingPoint(jsonString: $0) }
    self.storedThreshold = metadata.threshold ?? operatingPoint?.threshold
    self.network = model.network
    self.normaliser = FeatureStandardiser(
      mean: metadata.inputMean.map { $0.isFinite ? $0 : 0 },
      std: metadata.inputStd.map { $0.isFinite && $0 > 0 ? $0 : 1 })
    // Finite weights can still overflow (a damaged model with weights near Float.max): one
    // probe row of normalised ones (every input one deviation above its mean) finds that for
    // every command at load, instead of `listen` printing detections from such scores.
    let probe = network.probabilities(
      sample: [Float](repeating: 1, count: inputs), loss: loss, workspace: MLPWorkspace())
    guard probe.allSatisfy(\.isFinite) else {
      throw .incompatibleModel(path: path, reason: "its scores are not numbers (damaged weights?)")
    }
  }

  /// Loads the model at `path` (without its replay memory, which classifying never uses) and
  /// wraps it; errors name the file.
  public init(modelAt path: String) throws(ModelLoadError) {
    let model: ModelFile
    do {
      model = try ModelFile.load(at: path, readingMemory: false)
    } catch {
      throw .modelUnreadable(path: path, reason: error.problem)
    }
    try self.init(model: model, path: path)
  }

  /// Sample rate in Hz the audio must be decoded at.
  public var sampleRate: Int { frontEnd.config.sampleRate }
  /// Samples in one clip (the model's window).
  public var clipSamples: Int { frontEnd.config.clipSamples }
  /// Length of one feature vector (one view of a clip): the network's input.
  public var inputSize: Int { frontEnd.inputSize }
  /// Views of each clip whose probabilities are averaged (`FrontEndConfig.viewShifts`; 1 for
  /// models written before views existed).
  public var views: Int { frontEnd.views }
  /// Values of one clip's features: `views × inputSize`, as `FrontEnd.viewFeatures(clip:)` makes
  /// them.
  public var featureSize: Int { views * inputSize }

  /// Probabilities for a batch of clips' raw (un-normalised) features, `clips × labels`.
  ///
  /// `batch` is `clips × featureSize`, each row a clip's views one after another, as
  /// `FrontEnd.viewFeatures(clip:)` makes them; the stored standardisation is applied to a copy
  /// (`FeatureStandardiser`, exactly as in training), then the network's softmax or sigmoids for
  /// every view, then each clip's mean over its views.
  public func probabilities(features batch: Matrix) -> Matrix {
    precondition(batch.cols == featureSize, "feature rows must have \(featureSize) values")
    let perView = probabilities(
      viewFeatures: Matrix(rows: batch.rows * views, cols: inputSize, values: batch.values))
    return Self.meanOfViews(perView, views: views)
  }

  /// Probabilities for a batch of single views' raw features, `rows × labels`: one row of
  /// `inputSize` values per view (any views, of any clips), nothing averaged. `listen` scores one
  /// view per window this way (`SlidingWindowScorer`).
  ///
  /// Up to `fewRows` rows (one file's views) are scored one at a time: the network's one-row
  /// kernel needs no BLAS, which spares a one-file `classify` from loading OpenBLAS (4 ms).
  public func probabilities(viewFeatures batch: Matrix) -> Matrix {
    precondition(batch.cols == inputSize, "view rows must have \(inputSize) values")
    var normalised = batch.values
    normaliser.apply(to: &normalised, cols: inputSize)
    if batch.rows > 1 && batch.rows <= Self.fewRows {
      let workspace = MLPWorkspace()
      var out: [Float] = []
      out.reserveCapacity(batch.rows * labels.count)
      for r in 0..<batch.rows {
        out += network.probabilities(
          sample: Array(normalised[(r * inputSize)..<((r + 1) * inputSize)]), loss: loss,
          workspace: workspace)
      }
      return Matrix(rows: batch.rows, cols: labels.count, values: out)
    }
    return network.probabilities(
      Matrix(rows: batch.rows, cols: inputSize, values: normalised), loss: loss)
  }

  /// The most rows `probabilities(viewFeatures:)` scores one at a time (the views of one clip).
  static let fewRows = 15

  /// The mean of each group of `views` consecutive rows of `rows` (`rows.rows / views` rows).
  static func meanOfViews(_ rows: Matrix, views: Int) -> Matrix {
    if views == 1 { return rows }
    let cols = rows.cols
    let clips = rows.rows / views
    var out = [Float](repeating: 0, count: clips * cols)
    let scale = 1 / Float(views)
    for clip in 0..<clips {
      for view in 0..<views {
        let from = (clip * views + view) * cols
        for c in 0..<cols { out[clip * cols + c] += rows.values[from + c] }
      }
      for c in 0..<cols { out[clip * cols + c] *= scale }
    }
    return Matrix(rows: clips, cols: cols, values: out)
  }

  /// Every label with its probability for one clip, best first (ties keep the model's order).
  ///
  /// `clip` is audio at `sampleRate`; any length is fitted to the clip length first
  /// (`FrontEnd.fitClip`: the loudest window of a longer recording, centred padding of a shorter
  /// one), and the probabilities are the mean over the clip's views.
  public func classify(clip: [Float]) -> [LabelScore] {
    let features = frontEnd.viewFeatures(clip: clip)
    let probabilities = probabilities(
      features: Matrix(rows: 1, cols: featureSize, values: features))
    return ranked(probabilities.values[...])
  }

  /// The labels of one row of probabilities, best first (ties keep the model's order).
  public func ranked(_ row: ArraySlice<Float>) -> [LabelScore] {
    let base = row.startIndex
    let order = labels.indices.sorted { a, b in
      let (x, y) = (row[base + a], row[base + b])
      return x != y ? x > y : a < b
    }
    return order.map { LabelScore(label: labels[$0], score: row[base + $0]) }
  }
}
