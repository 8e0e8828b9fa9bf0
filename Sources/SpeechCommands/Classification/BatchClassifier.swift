import Dispatch
import Foundation
import SpeechAudio
import SpeechModel

/// How `classify` decides and what it reports.
public struct ClassifyOptions: Sendable, Equatable {
  /// Labels reported per window, best first (clamped to the model's label count). Default 1.
  public var topK: Int = 1
  /// Below this top probability the label becomes `_unknown_` (for a BCE model: when no sigmoid
  /// reaches it). Nil: never. Default nil.
  public var threshold: Float? = nil
  /// Report every window of a recording longer than the model's clip instead of only the window
  /// with the most energy. Default false.
  public var allWindows: Bool = false
  /// Seconds between window starts with `allWindows`; nil means half the clip length. Default nil.
  public var windowHopSeconds: Double? = nil
  /// Worker threads, each decoding, featurising and scoring whole batches, 1…`maximumThreads`.
  /// Default (nil): all active cores. A run of one batch or less is classified on the calling
  /// thread either way.
  public var threads: Int? = nil
  /// Files a worker decodes and featurises before one network pass over all their windows.
  /// Default 16.
  public var batchSize: Int = 16
  /// Recordings larger than this, in bytes on disk or as 16-bit samples at the model's rate
  /// (from their header: a compressed file can hold an hour in a few megabytes), are not held
  /// whole: their clip is found reading them twice in blocks
  /// (`FrontEnd.fitClip(streamingFrom:sampleRate:)`). With `allWindows` every recording longer
  /// than a clip has its windows classified as the blocks arrive
  /// (`classifyAllWindows(streamingFrom:)`), whatever its size, since a fine hop multiplies the
  /// features held. The same answers in a few blocks of memory. Default 16 MB (8 minutes of
  /// 16 kHz 16-bit mono).
  public var longRecordingBytes: Int = 16 << 20

  /// The most worker threads: each holds up to two batches of decoded files, so more threads
  /// than cores only cost memory.
  public static let maximumThreads = 256

  /// The defaults above.
  public init() {}

  /// Throws for `topK` or `batchSize` below 1, `threads` outside 1…`maximumThreads`, a window
  /// hop that is not a positive number of seconds, or a threshold outside [0, 1].
  public func validate() throws(SettingError) {
    guard topK >= 1 else { throw SettingError("topK", "must be at least 1") }
    if let threads, !(1...Self.maximumThreads).contains(threads) {
      throw SettingError("threads", "must lie in 1…\(Self.maximumThreads)")
    }
    guard batchSize >= 1 else { throw SettingError("batchSize", "must be at least 1") }
    // At least 10 ms (half an MFCC hop at the defaults): finer windows repeat the same frames
    // and every window's result is kept, so a tiny hop filled memory.
    if let hop = windowHopSeconds, !(hop >= 0.01 && hop <= 3600) {
      throw SettingError("windowHopSeconds", "must lie in [0.01, 3600] seconds")
    }
    if let threshold, !(0...1).contains(threshold) {
      throw SettingError("threshold", "must lie between 0 and 1")
    }
  }
}

/// One classified window of a recording.
public struct WindowResult: Sendable, Equatable {
  /// Window start in seconds from the beginning of the recording (0 unless `allWindows`).
  public var start: Double
  /// The best label, or `_unknown_` when its probability is below the threshold.
  public var label: String
  /// The best label's probability (also when `label` is `_unknown_`).
  public var score: Float
  /// The `topK` best labels with their probabilities, best first.
  public var top: [LabelScore]

  /// A window's result.
  public init(start: Double, label: String, score: Float, top: [LabelScore]) {
    self.start = start
    self.label = label
    self.score = score
    self.top = top
  }
}

/// The outcome for one input, in input order.
public enum FileResult: Sendable, Equatable {
  /// The file's windows (exactly one unless `allWindows`); `notice` is a one-line warning about
  /// the file that did not stop it (it is cut short: see `CutShort`), else nil.
  case classified(path: String, windows: [WindowResult], notice: String?)
  /// The file could not be classified; `reason` names it and says why, in one line.
  case failed(path: String, reason: String)

  /// The input path.
  public var path: String {
    switch self {
    case .classified(let path, _, _), .failed(let path, _): return path
    }
  }
}

/// Classifies many files in parallel, in bounded memory, keeping their order.
///
/// `threads` workers each take the next `batchSize` paths, decode them (resampling to the model's
/// rate), extract features and score all their windows in one network pass; the calling thread
/// hands the results to `body` in input order as soon as they are complete. There is no barrier
/// between batches (a slow file delays only its own batch's output), and at most
/// `2 × threads` batches are in flight or waiting to be reported, so memory stays bounded whatever
/// the number of paths.
public struct BatchClassifier: Sendable {
  /// The model.
  public let classifier: Classifier
  /// The options, validated.
  public let options: ClassifyOptions

  /// A classifier with `options` checked by `ClassifyOptions.validate`.
  public init(classifier: Classifier, options: ClassifyOptions = ClassifyOptions())
    throws(SettingError)
  {
    try options.validate()
    self.classifier = classifier
    self.options = options
  }

  /// Classifies every item, calling `body` once per item in input order, on the calling thread.
  ///
  /// When `body` throws, the workers stop after their current batch and the error is rethrown.
  /// OpenBLAS runs on one thread meanwhile (`LinearAlgebra.withThreadCount`).
  public func run<S: Sequence<PathItem>>(_ items: S, _ body: (FileResult) throws -> Void) rethrows {
    try LinearAlgebra.withThreadCount(1) { try runBatches(items, body) }
  }

  private func runBatches<S: Sequence<PathItem>>(
    _ items: S, _ body: (FileResult) throws -> Void
  ) rethrows {
    var iterator = items.makeIterator()
    var first: [PathItem] = []
    while first.count < options.batchSize, let item = iterator.next() { first.append(item) }
    // One batch or less (one file, the usual `classify x.wav`): no workers to start, and the
    // processor count (costly to read in Foundation) is not needed.
    let threads = first.count < options.batchSize ? 1 : options.threads ?? Parallel.workers
    if threads == 1 {
      var batch = first
      while !batch.isEmpty {
        for result in classify(batch: batch) { try body(result) }
        batch = []
        while batch.count < options.batchSize, let item = iterator.next() { batch.append(item) }
      }
      return
    }
    var head = first.makeIterator()
    let pipeline = OrderedPipeline<PathItem, FileResult>(
      source: AnyIterator { head.next() ?? iterator.next() }, batchSize: options.batchSize,
      window: 2 * threads)
    for _ in 0..<threads {
      DispatchQueue.global().async { [self] in
        pipeline.work { classify(batch: $0) }
      }
    }
    do {
      while let results = pipeline.nextResults() {
        for result in results { try body(result) }
      }
    } catch {
      pipeline.cancelAndWait()
      throw error
    }
  }

  /// Decodes, featurises and scores `items` on the calling thread; results in input order.
  public func classify(batch items: [PathItem]) -> [FileResult] {
    let rate = classifier.sampleRate
    let extracted = items.map { item -> Extracted in
      switch item {
      case .file(let path):
        do {
          let held =
            options.allWindows ? classifier.clipSamples : options.longRecordingBytes / 2
          if Self.fileBytes(path) <= options.longRecordingBytes,
            let (samples, cutShort) = try AudioFile.decode(
              at: path, sampleRate: rate, maximumSamples: held)
          {
            return extract(samples, path: path, notice: cutShort.map { "\($0)" })
          }
          if options.allWindows { return .scored(try classifyAllWindows(streamingFrom: path)) }
          let (clip, cutShort) = try classifier.frontEnd.fitClip(
            streamingFrom: path, sampleRate: rate)
          // The fitted clip is the recording's loudest: silent only if all of it is.
          if let silent = silence(
            clip, path: path, notice: cutShort.map { "\($0)" }, fitted: true)
          {
            return silent
          }
          return .windows(
            starts: [0], features: classifier.frontEnd.viewFeatures(fitted: clip),
            notice: cutShort.map { "\($0)" })
        } catch {
          return .failed("\(error)")
        }
      case .problem(_, let reason):
        return .failed(reason)
      }
    }
    return score(extracted, paths: items.map(pathOf))
  }

  /// The size of the file at `path` in bytes (0 when it cannot be told; the read then says why).
  private static func fileBytes(_ path: String) -> Int {
    var status = stat()
    return stat(path, &status) == 0 ? Int(status.st_size) : 0
  }

  /// Classifies decoded audio already at the model's rate (one recording).
  public func classify(samples: [Float]) -> [WindowResult] {
    guard case .classified(_, let windows, _) = score([extract(samples)], paths: [""]).first
    else {
      return []
    }
    return windows
  }

  /// Window starts (in samples) for a recording of `count` samples with `allWindows`.
  ///
  /// Windows start every hop while they fit; when the last one stops short of the end, one more
  /// window ends exactly at the end. A recording no longer than a clip has the single start 0.
  public func windowStarts(count: Int) -> [Int] {
    let clip = classifier.clipSamples
    guard count > clip else { return [0] }
    var starts = Array(stride(from: 0, through: count - clip, by: windowHopSamples))
    if let last = starts.last, last + clip < count { starts.append(count - clip) }
    return starts
  }

  /// Samples between window starts with `allWindows` (at least 1).
  var windowHopSamples: Int {
    let seconds = options.windowHopSeconds ?? classifier.frontEnd.config.clipSeconds / 2
    return max(1, Int((seconds * Double(classifier.sampleRate)).rounded()))
  }

  /// The decision for one row of probabilities.
  public func decide(_ row: ArraySlice<Float>, start: Double) -> WindowResult {
    let ranked = classifier.ranked(row)
    let best = ranked[0]
    var label = best.label
    if let threshold = options.threshold, best.score < threshold { label = unknownLabel }
    return WindowResult(
      start: start, label: label, score: best.score, top: Array(ranked.prefix(options.topK)))
  }

  // MARK: - Internals

  /// Features of one recording's windows (with a warning about the file, if any), why it
  /// failed, or its result already (a long recording's windows, scored as it was read).
  enum Extracted: Sendable {
    case windows(starts: [Int], features: [Float], notice: String?)
    case failed(String)
    case scored(FileResult)
  }

  /// For a recording that holds no sound (`SilenceGate`) and a model with `_silence_`: that
  /// answer, probability 1, without the network. For a model without `_silence_`: the windows
  /// are scored as usual, with a notice that the label is a guess. Nil for a recording with sound.
  /// `fitted`: `samples` is already the fitted clip (of a long recording read in blocks), whose
  /// features are taken as they are rather than fitted again.
  func silence(
    _ samples: [Float], path: String, notice: String?, fitted: Bool = false
  ) -> Extracted? {
    guard SilenceGate.isSilent(samples, sampleRate: classifier.sampleRate) else { return nil }
    let level = "holds no sound above \(Int(SilenceGate.levelDBFS)) dBFS"
    guard let index = classifier.labels.firstIndex(of: silenceLabel) else {
      let guess =
        "'\(path)' \(level), and the model has no \(silenceLabel) class: its label is a guess"
      let frontEnd = classifier.frontEnd
      return .windows(
        starts: [0],
        features: fitted
          ? frontEnd.viewFeatures(fitted: samples) : frontEnd.viewFeatures(clip: samples),
        notice: [notice, guess].compactMap { $0 }.joined(separator: "; "))
    }
    var row = [Float](repeating: 0, count: classifier.labels.count)
    row[index] = 1
    return .scored(
      .classified(path: path, windows: [decide(row[...], start: 0)], notice: notice))
  }

  func extract(_ samples: [Float], path: String = "", notice: String? = nil) -> Extracted {
    let frontEnd = classifier.frontEnd
    if !options.allWindows || samples.count <= classifier.clipSamples {
      if let silent = silence(samples, path: path, notice: notice) { return silent }
      return .windows(
        starts: [0], features: frontEnd.viewFeatures(clip: samples), notice: notice)
    }
    let starts = windowStarts(count: samples.count)
    var features: [Float] = []
    features.reserveCapacity(starts.count * classifier.featureSize)
    for start in starts {
      features += frontEnd.viewFeatures(
        clip: Array(samples[start..<start + classifier.clipSamples]))
    }
    return .windows(starts: starts, features: features, notice: notice)
  }

  /// Every window of `extracted` through the network, in passes of at most `windowsPerPass`
  /// windows (a pass's workspace grows with its rows: the convolutions' patches of 6,000 views
  /// were 350 MB).
  func score(_ extracted: [Extracted], paths: [String]) -> [FileResult] {
    var batch: [Float] = []
    var rows = 0
    for case .windows(let starts, let features, _) in extracted {
      batch += features
      rows += starts.count
    }
    var scores: [Float] = []
    scores.reserveCapacity(rows * classifier.labels.count)
    let width = classifier.featureSize
    for from in stride(from: 0, to: rows, by: Self.windowsPerPass) {
      let count = min(Self.windowsPerPass, rows - from)
      scores +=
        classifier.probabilities(
          features: Matrix(
            rows: count, cols: width,
            values: Array(batch[(from * width)..<((from + count) * width)]))
        ).values
    }
    let probabilities: Matrix? =
      rows == 0 ? nil : Matrix(rows: rows, cols: classifier.labels.count, values: scores)
    let labels = classifier.labels.count
    let rate = Double(classifier.sampleRate)
    var row = 0
    var results: [FileResult] = []
    results.reserveCapacity(extracted.count)
    for (item, path) in zip(extracted, paths) {
      switch item {
      case .failed(let reason):
        results.append(.failed(path: path, reason: reason))
      case .scored(let result):
        results.append(result)
      case .windows(let starts, _, let notice):
        let values = probabilities!.values[(row * labels)..<((row + starts.count) * labels)]
        // Finite weights can still overflow (a damaged model with weights near Float.max).
        guard values.allSatisfy({ $0.isFinite }) else {
          results.append(
            .failed(
              path: path,
              reason: "'\(path)': the model's scores are not numbers (damaged weights?)"))
          row += starts.count
          continue
        }
        var windows: [WindowResult] = []
        for start in starts {
          windows.append(
            decide(
              probabilities!.values[(row * labels)..<((row + 1) * labels)],
              start: Double(start) / rate))
          row += 1
        }
        results.append(.classified(path: path, windows: windows, notice: notice))
      }
    }
    return results
  }

  private func pathOf(_ item: PathItem) -> String {
    switch item {
    case .file(let path), .problem(let path, _): return path
    }
  }
}
