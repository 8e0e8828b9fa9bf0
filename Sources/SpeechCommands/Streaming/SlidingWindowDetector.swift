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

/// Slides the model's window over an endless stream of samples and reports command words:
/// a `SlidingWindowScorer` (windows → probabilities) feeding a `ScoreSmoother` (probabilities →
/// decisions); new commands other than `_silence_` and `_unknown_` are returned.
/// Memory is constant. Not thread-safe: one stream per instance.
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
      // Up to an hour: a stride is a fraction of a clip in practice, and the cap keeps the
      // samples it converts to a whole number.
      guard strideSeconds > 0, strideSeconds <= 3600 else {
        throw SettingError("strideSeconds", "must lie in (0, 3600] seconds")
      }
      // The bounds an operating point stored in a model must keep too (`OperatingPoint`).
      guard (0...60_000).contains(recognizer.averageWindowMs) else {
        throw SettingError("recognizer.averageWindowMs", "must lie between 0 and 60 seconds")
      }
      guard (0...3_600_000).contains(recognizer.suppressionMs) else {
        throw SettingError("recognizer.suppressionMs", "must lie between 0 and 3600 seconds")
      }
      guard (0...1).contains(recognizer.detectionThreshold) else {
        throw SettingError("recognizer.detectionThreshold", "must lie between 0 and 1")
      }
      guard (1...10_000).contains(recognizer.minimumCount) else {
        throw SettingError("recognizer.minimumCount", "must lie between 1 and 10000")
      }
      guard maximumBatch >= 1 else { throw SettingError("maximumBatch", "must be at least 1") }
      // A word is decided on at least `minimumCount` window results, all within the averaging
      // window: a shorter window never decides anything (0 ms detected nothing, silently).
      let needed = Double(recognizer.minimumCount - 1) * strideSeconds * 1000
      guard Double(recognizer.averageWindowMs) >= needed else {
        throw SettingError(
          "recognizer.averageWindowMs",
          "must be at least \(Int(needed.rounded(.up))) ms to hold \(recognizer.minimumCount) results \(Int((strideSeconds * 1000).rounded())) ms apart"
        )
      }
    }
  }

  /// The model.
  public var classifier: Classifier { scorer.classifier }
  /// The settings.
  public let options: Options
  /// Samples between window starts.
  public var strideSamples: Int { scorer.strideSamples }
  /// Samples fed so far.
  public var samplesSeen: Int64 { scorer.samplesSeen }
  /// Windows scored so far.
  public var windowsScored: Int64 { scorer.windowsScored }
  /// The probabilities of the last window scored, in `classifier.labels` order (empty before the
  /// first), for displays that show the scores between detections.
  public private(set) var latestScores: [Float] = []
  private let scorer: SlidingWindowScorer
  private var recognizer: ScoreSmoother

  /// A detector over `classifier`'s windows, with `options` checked by `Options.validate`.
  public init(classifier: Classifier, options: Options = Options()) throws(SettingError) {
    try options.validate()
    self.options = options
    self.scorer = SlidingWindowScorer(
      classifier: classifier, strideSamples: Self.strideSamples(options, classifier),
      maximumBatch: options.maximumBatch)
    self.recognizer = ScoreSmoother(labels: classifier.labels, options: options.recognizer)
  }

  /// `options.strideSeconds` in samples at `classifier`'s rate (at least 1).
  static func strideSamples(_ options: Options, _ classifier: Classifier) -> Int {
    max(1, Int((options.strideSeconds * Double(classifier.sampleRate)).rounded()))
  }

  /// Feeds the next samples (at the model's rate) and returns the detections they complete.
  public func process(_ samples: [Float]) -> [Detection] {
    let rate = Int64(classifier.sampleRate)
    var detections: [Detection] = []
    scorer.process(samples) { start, scores in
      latestScores = Array(scores)
      let decision = recognizer.process(scores: latestScores, timeMs: start * 1000 / rate)
      if decision.isReportedCommand {
        detections.append(
          Detection(
            time: Double(start) / Double(rate), label: decision.label, score: decision.score))
      }
    }
    return detections
  }
}
