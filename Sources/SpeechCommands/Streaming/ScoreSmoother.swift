/// Turns a stream of per-window probabilities into discrete command detections: a port of
/// TensorFlow's `RecognizeCommands` (tensorflow/examples/speech_commands/recognize_commands.cc).
///
/// For every window result (fed in time order):
/// 1. it joins a queue; results older than `averageWindowMs` before the newest are dropped;
/// 2. with fewer than `minimumCount` results, or results spanning less than a quarter of
///    `averageWindowMs`, nothing is decided (the previous label is returned with score 0);
/// 3. otherwise the probabilities are averaged over the queue and the best label is taken;
/// 4. it is a *new command* when its average exceeds `detectionThreshold`, it differs from the
///    previous command, and more than `suppressionMs` have passed since the previous command
///    (no wait after `_silence_`).
///
/// Differences from TensorFlow, all deliberate:
/// - With `repeatAfterQuiet` (the default), the same word may be detected again once, since its
///   detection, some averaged top score stayed at or below the threshold. TensorFlow needs
///   another label (normally `_silence_`) to exceed the threshold in between, so "yes … yes"
///   over background noise the model scores below the threshold is reported once. Set it false
///   for TensorFlow's exact behaviour (the suppression time applies either way).
/// - Ties between averaged scores go to the label listed first (`std::sort` leaves them unordered).
/// - A result whose length differs from the label count, or that goes back in time, is a
///   programming error (precondition) rather than a returned status.
/// Reporting is left to the caller: `SlidingWindowDetector` never reports `_silence_` or `_unknown_`
/// (TensorFlow's streaming test only skips `_silence_`).
public struct ScoreSmoother: Sendable {
  /// The recogniser's settings, in TensorFlow's units (milliseconds).
  public struct Options: Sendable, Equatable {
    /// Results averaged over this many milliseconds. Default 500.
    public var averageWindowMs: Int64 = 500
    /// Averaged probability a label must exceed to be detected. Default 0.7.
    public var detectionThreshold: Float = 0.7
    /// No new command for this many milliseconds after one. Default 1500.
    public var suppressionMs: Int64 = 1500
    /// Results needed in the averaging window before anything is decided. Default 3.
    public var minimumCount: Int = 3
    /// Allow the same label again after a quiet stretch (see the type's documentation).
    /// Default true.
    public var repeatAfterQuiet: Bool = true

    /// The defaults above.
    public init() {}
  }

  /// What one call decided.
  public struct Decision: Sendable, Equatable {
    /// The best averaged label (or the previous command while too few results are queued).
    public var label: String
    /// Its averaged probability (0 while too few results are queued).
    public var score: Float
    /// Whether this result starts a new command.
    public var isNewCommand: Bool

    /// A new command `listen` reports: not `_silence_` or `_unknown_`.
    public var isReportedCommand: Bool {
      isNewCommand && label != silenceLabel && label != unknownLabel
    }
  }

  /// The labels, in the order of the probability rows.
  public let labels: [String]
  /// The settings.
  public let options: Options
  private var queue: [(time: Int64, scores: [Float])] = []
  private var queueStart = 0
  private var previousLabel = silenceLabel
  private var previousTime = Int64.min
  private var quietSincePrevious = false

  /// A recogniser for probability rows over `labels`.
  public init(labels: [String], options: Options = Options()) {
    self.labels = labels
    self.options = options
  }

  /// Feeds the probabilities of the window at `timeMs` and returns the decision.
  ///
  /// Memory: the results within the averaging window (about `averageWindowMs / stride`).
  public mutating func process(scores: [Float], timeMs: Int64) -> Decision {
    precondition(scores.count == labels.count, "expected \(labels.count) scores")
    precondition(
      queueStart == queue.count || timeMs >= queue[queueStart].time,
      "results must be fed in increasing time order")
    queue.append((timeMs, scores))
    let limit = timeMs - options.averageWindowMs
    while queue[queueStart].time < limit { queueStart += 1 }
    if queueStart > 64 && queueStart * 2 > queue.count {
      queue.removeFirst(queueStart)
      queueStart = 0
    }

    let count = queue.count - queueStart
    let span = timeMs - queue[queueStart].time
    if count < options.minimumCount || span < options.averageWindowMs / 4 {
      return Decision(label: previousLabel, score: 0, isNewCommand: false)
    }

    var average = [Float](repeating: 0, count: labels.count)
    let n = Float(count)
    for entry in queue[queueStart...] {
      for i in average.indices { average[i] += entry.scores[i] / n }
    }
    var best = 0
    for i in average.indices where average[i] > average[best] { best = i }
    let label = labels[best]
    let score = average[best]

    let sincePrevious: Int64 =
      previousLabel == silenceLabel || previousTime == Int64.min
      ? Int64.max : timeMs - previousTime
    let differs = label != previousLabel || (options.repeatAfterQuiet && quietSincePrevious)
    if score <= options.detectionThreshold { quietSincePrevious = true }
    if score > options.detectionThreshold && differs && sincePrevious > options.suppressionMs {
      previousLabel = label
      previousTime = timeMs
      quietSincePrevious = false
      return Decision(label: label, score: score, isNewCommand: true)
    }
    return Decision(label: label, score: score, isNewCommand: false)
  }
}
