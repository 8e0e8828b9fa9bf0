import SpeechModel

/// A command word found in a stream.
public struct Detection: Sendable, Equatable {
  /// Start of the window that triggered it, in seconds from the start of the stream
  /// (TensorFlow's convention; the word lies in `time … time + clip length`).
  public var time: Double
  /// The word (never `_silence_` or `_unknown_`).
  public var label: String
  /// Its probability averaged over the recogniser's window.
  public var score: Float

  /// Creates a detection.
  public init(time: Double, label: String, score: Float) {
    self.time = time
    self.label = label
    self.score = score
  }
}

/// Slides the model's window over an endless stream of samples and reports command words.
///
/// Windows of `clipSamples` start every `strideSeconds` (the first at sample 0; a tail shorter
/// than a window is never classified, as in TensorFlow's streaming test). The windows completed
/// by each `process` call are featurised and scored in one batch, then fed to a
/// `ScoreSmoother`; new commands other than `_silence_` and `_unknown_` are returned.
/// Memory is constant: one window plus the samples of the current call. Not thread-safe: one
/// stream per instance.
public final class SlidingWindowDetector {
  /// Everything `listen` can tune.
  public struct Options: Sendable, Equatable {
    /// Seconds between window starts. Default 0.03 (TensorFlow's 30 ms).
    public var strideSeconds: Double = 0.03
    /// Averaging, threshold, suppression and minimum count.
    public var recognizer = ScoreSmoother.Options()
    /// Windows scored per network pass at most (bounds memory for huge blocks). Default 256.
    public var maximumBatch: Int = 256

    /// The defaults above.
    public init() {}

    /// Throws for a non-positive stride or batch, a negative averaging window or suppression
    /// time, a threshold outside [0, 1] or a minimum count below 1.
    public func validate() throws(SettingError) {
      guard strideSeconds > 0, strideSeconds.isFinite else {
        throw SettingError("strideSeconds", "must be positive")
      }
      guard recognizer.averageWindowMs >= 0 else {
        throw SettingError("recognizer.averageWindowMs", "must not be negative")
      }
      guard recognizer.suppressionMs >= 0 else {
        throw SettingError("recognizer.suppressionMs", "must not be negative")
      }
      guard (0...1).contains(recognizer.detectionThreshold) else {
        throw SettingError("recognizer.detectionThreshold", "must lie between 0 and 1")
      }
      guard recognizer.minimumCount >= 1 else {
        throw SettingError("recognizer.minimumCount", "must be at least 1")
      }
      guard maximumBatch >= 1 else { throw SettingError("maximumBatch", "must be at least 1") }
    }
  }

  /// The model.
  public let classifier: Classifier
  /// The settings.
  public let options: Options
  /// Samples between window starts.
  public let strideSamples: Int
  private var recognizer: ScoreSmoother
  /// Samples not yet discarded; `buffer[0]` is stream sample `bufferOrigin`.
  private var buffer: [Float] = []
  private var bufferOrigin: Int64 = 0
  private var nextStart: Int64 = 0
  /// Samples fed so far.
  public private(set) var samplesSeen: Int64 = 0
  /// Windows scored so far.
  public private(set) var windowsScored: Int64 = 0
  /// The probabilities of the last window scored, in `classifier.labels` order (empty before the
  /// first), for displays that show the scores between detections.
  public private(set) var latestScores: [Float] = []

  /// A detector over `classifier`'s windows, with `options` checked by `Options.validate`.
  public init(classifier: Classifier, options: Options = Options()) throws(SettingError) {
    try options.validate()
    let rate = Double(classifier.sampleRate)
    self.classifier = classifier
    self.options = options
    self.strideSamples = max(1, Int((options.strideSeconds * rate).rounded()))
    self.recognizer = ScoreSmoother(labels: classifier.labels, options: options.recognizer)
    buffer.reserveCapacity(classifier.clipSamples * 2)
  }

  /// Feeds the next samples (at the model's rate) and returns the detections they complete.
  public func process(_ samples: [Float]) -> [Detection] {
    samplesSeen += Int64(samples.count)
    buffer += samples
    let clip = Int64(classifier.clipSamples)
    var detections: [Detection] = []
    var starts: [Int64] = []
    while nextStart + clip <= bufferOrigin + Int64(buffer.count) {
      starts.append(nextStart)
      nextStart += Int64(strideSamples)
      if starts.count == options.maximumBatch {
        detections += score(starts)
        starts.removeAll(keepingCapacity: true)
      }
    }
    detections += score(starts)
    let discard = Int(min(nextStart - bufferOrigin, Int64(buffer.count)))
    if discard > 0 {
      buffer.removeFirst(discard)
      bufferOrigin += Int64(discard)
    }
    return detections
  }

  /// Scores the windows starting at `starts` (stream sample indices) in one batch.
  private func score(_ starts: [Int64]) -> [Detection] {
    if starts.isEmpty { return [] }
    let clip = classifier.clipSamples
    let frontEnd = classifier.frontEnd
    var features: [Float] = []
    features.reserveCapacity(starts.count * classifier.inputSize)
    for start in starts {
      let offset = Int(start - bufferOrigin)
      features += frontEnd.features(clip: Array(buffer[offset..<offset + clip]))
    }
    let probabilities = classifier.probabilities(
      features: Matrix(rows: starts.count, cols: classifier.inputSize, values: features))
    windowsScored += Int64(starts.count)
    let labels = classifier.labels.count
    let rate = Int64(classifier.sampleRate)
    var detections: [Detection] = []
    for (row, start) in starts.enumerated() {
      let scores = Array(probabilities.values[(row * labels)..<((row + 1) * labels)])
      latestScores = scores
      let timeMs = start * 1000 / rate
      let decision = recognizer.process(scores: scores, timeMs: timeMs)
      if decision.isNewCommand && decision.label != silenceLabel && decision.label != unknownLabel {
        detections.append(
          Detection(
            time: Double(start) / Double(rate), label: decision.label, score: decision.score))
      }
    }
    return detections
  }
}
