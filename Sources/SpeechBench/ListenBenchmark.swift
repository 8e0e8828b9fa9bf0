import Foundation
import SpeechAudio
import SpeechCommands

/// `speechcmd bench listen`: how `listen` does on real voices, the way wake-word benchmarks
/// report it. From one split of a data folder or manifest it builds a positive stream (command
/// words with real background between them) and a negative stream (non-command words, same
/// layout) with `DetectionStreams`, scores every window once, and replays `listen`'s decisions
/// over a range of thresholds (`DetectionSweep`); the background-noise files alone give the
/// false accepts per hour of noise.
public enum ListenBenchmark {
  /// What to measure.
  public struct Options: Sendable {
    /// The split whose clips make the streams. Default test (voices the model never heard).
    public var split: DatasetSplit = .test
    /// Words, non-command words, gaps and seed of the streams.
    public var recipe = DetectionStreams.Recipe()
    /// Thresholds to sweep. Default 0.30 … 0.95 by 0.05.
    public var thresholds = DetectionSweep.defaultThresholds
    /// `listen`'s settings besides the threshold (stride, averaging, suppression, minimum
    /// count); nil for the model's operating point, else `listen`'s defaults.
    public var detector: SlidingWindowDetector.Options? = nil
    /// Also run the background-noise files alone (false accepts per hour of noise). Default on.
    public var measureNoise = true

    /// The defaults above.
    public init() {}
  }

  /// Everything measured, as written to `listen-bench.json`.
  public struct Report: Sendable, Codable {
    /// The model and the data (folder or manifest) and split measured.
    public var model: String
    public var data: String
    public var split: String
    /// The streams.
    public var recipe: DetectionStreams.Recipe
    public var words: Int
    public var nonCommandWords: Int
    public var positiveSeconds: Double
    public var negativeSeconds: Double
    public var noiseSeconds: Double?
    /// `listen`'s settings besides the threshold, in milliseconds (stride in seconds).
    public var strideSeconds: Double
    public var averageWindowMs: Int64
    public var suppressionMs: Int64
    public var minimumCount: Int
    /// The threshold `listen` uses for this model by default (its operating point or 0.7).
    public var defaultThreshold: Float
    /// Whether the model carries an operating point.
    public var modelHasOperatingPoint: Bool
    /// One point per threshold swept (the default threshold included).
    public var points: [DetectionSweepPoint]
    /// The point at `defaultThreshold`.
    public var atDefault: DetectionSweepPoint
    /// At `defaultThreshold`: per command word, its words and how many were detected right.
    public var byWord: [String: LabelDetections]
  }

  /// Measures `classifier` (loaded from `modelPath`, which the report names) on `data`; `status`
  /// receives progress notes.
  public static func run(
    classifier: Classifier, modelPath: String, data: DataSource, options: Options = Options(),
    status: (String) -> Void = { _ in }
  ) throws -> Report {
    var detector = options.detector ?? SlidingWindowDetector.Options()
    if options.detector == nil, let point = classifier.operatingPoint {
      detector.recognizer = point.applied(to: detector.recognizer)
    }
    try detector.validate()
    let listing = try data.listing(rule: HashSplitRule())
    let rate = classifier.sampleRate
    let commands = Set(classifier.labels.filter { !$0.hasPrefix("_") })
    var commandClips: [(label: String, samples: [Float])] = []
    var others: [[Float]] = []
    var background: [[Float]] = []
    let chosen = listing.recordings.filter { $0.split == options.split }
    status("decoding \(chosen.count) \(options.split.rawValue) clips of \(data.path)")
    for recording in chosen {
      let samples = try AudioFile.read(at: recording.path, sampleRate: rate)
      if commands.contains(recording.label) {
        commandClips.append((recording.label, samples))
      } else if recording.label == silenceLabel {
        background.append(samples)
      } else {
        others.append(samples)
      }
    }
    guard !commandClips.isEmpty else {
      throw BenchmarkError.noCommandWords(data: data.path, split: options.split.rawValue)
    }
    let streams = DetectionStreams(
      commands: commandClips, nonCommands: others, background: background, sampleRate: rate,
      recipe: options.recipe)
    for (what, wanted, distinct) in [
      ("command words", options.recipe.words, commandClips.count),
      ("non-command words", options.recipe.nonCommandWords, others.count),
    ] where distinct > 0 && wanted > distinct {
      status(
        "note: \(wanted) \(what) from \(distinct) clips of the split: each is used about "
          + "\(Int((Double(wanted) / Double(distinct)).rounded())) times (--words / "
          + "--non-command-words \(distinct) uses each once)")
    }
    if others.isEmpty && options.recipe.nonCommandWords > 0 {
      status(
        "note: the \(options.split.rawValue) split holds no non-command "
          + "clip (_unknown_): the negative stream is background alone, so its false accepts say "
          + "nothing about words the model does not know")
    }
    status("scoring the streams")
    let positive = StreamScores(
      classifier: classifier, audio: streams.positive.audio, strideSeconds: detector.strideSeconds)
    let negative = StreamScores(
      classifier: classifier, audio: streams.negative.audio, strideSeconds: detector.strideSeconds)
    var noise: StreamScores?
    if options.measureNoise && !listing.noiseFiles.isEmpty {
      var audio: [Float] = []
      for file in listing.noiseFiles { audio += try AudioFile.read(at: file, sampleRate: rate) }
      noise = StreamScores(
        classifier: classifier, audio: audio, strideSeconds: detector.strideSeconds)
    }
    let threshold = detector.recognizer.detectionThreshold
    let thresholds = Array(Set(options.thresholds + [threshold])).sorted()
    let points = DetectionSweep.run(
      positive: positive, truth: streams.positive.truth, negative: negative,
      negativeWords: streams.negative.words, noise: noise, base: detector.recognizer,
      thresholds: thresholds)
    let atDefault = points.first { $0.threshold == threshold }!
    let byWord = DetectionSweep.score(
      positive: positive, truth: streams.positive.truth, options: detector.recognizer
    ).perLabel
    return Report(
      model: modelPath, data: data.path, split: options.split.rawValue, recipe: options.recipe,
      words: streams.positive.truth.count, nonCommandWords: streams.negative.words,
      positiveSeconds: positive.seconds, negativeSeconds: negative.seconds,
      noiseSeconds: noise?.seconds, strideSeconds: detector.strideSeconds,
      averageWindowMs: detector.recognizer.averageWindowMs,
      suppressionMs: detector.recognizer.suppressionMs,
      minimumCount: detector.recognizer.minimumCount, defaultThreshold: threshold,
      modelHasOperatingPoint: classifier.operatingPoint != nil,
      points: points, atDefault: atDefault, byWord: byWord)
  }
}
