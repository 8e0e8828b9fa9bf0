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
  /// Worker threads decoding and extracting features. Default: all active cores.
  public var threads: Int = ProcessInfo.processInfo.activeProcessorCount
  /// Files decoded, featurised and run through the network together; bounds memory to about this
  /// many recordings. Default 64.
  public var chunkSize: Int = 64

  /// The defaults above.
  public init() {}
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
}

/// The outcome for one input, in input order.
public enum FileResult: Sendable, Equatable {
  /// The file's windows (exactly one unless `allWindows`).
  case classified(path: String, windows: [WindowResult])
  /// The file could not be classified; `reason` names it and says why, in one line.
  case failed(path: String, reason: String)

  /// The input path.
  public var path: String {
    switch self {
    case .classified(let path, _), .failed(let path, _): return path
    }
  }
}

/// Classifies many files in parallel, in bounded memory, keeping their order.
///
/// Paths are taken `chunkSize` at a time; within a chunk, `threads` workers decode (resampling to
/// the model's rate) and extract features, then one batched network pass scores every window of
/// the chunk. Results are handed to the caller in input order before the next chunk starts, so
/// memory is one chunk of audio and features whatever the number of paths.
public struct BatchClassifier: Sendable {
  /// The model.
  public let classifier: Classifier
  /// The options, validated.
  public let options: ClassifyOptions

  /// Checks the options: `topK ≥ 1`, `threads ≥ 1`, `chunkSize ≥ 1`, a positive window hop, a
  /// threshold in [0, 1].
  public init(classifier: Classifier, options: ClassifyOptions = ClassifyOptions())
    throws(ClassifyError)
  {
    guard options.topK >= 1 else { throw .invalidOption("--top-k must be at least 1") }
    guard options.threads >= 1 else { throw .invalidOption("--threads must be at least 1") }
    guard options.chunkSize >= 1 else { throw .invalidOption("the chunk size must be at least 1") }
    if let hop = options.windowHopSeconds, !(hop > 0) || !hop.isFinite {
      throw .invalidOption("--window-hop must be a positive number of seconds")
    }
    if let threshold = options.threshold, !(0...1).contains(threshold) {
      throw .invalidOption("--threshold must lie between 0 and 1")
    }
    self.classifier = classifier
    self.options = options
  }

  /// Classifies every item, calling `body` once per item in input order.
  public func run<S: Sequence<PathItem>>(_ items: S, _ body: (FileResult) throws -> Void) rethrows {
    var chunk: [PathItem] = []
    chunk.reserveCapacity(options.chunkSize)
    for item in items {
      chunk.append(item)
      if chunk.count == options.chunkSize {
        for result in classify(chunk: chunk) { try body(result) }
        chunk.removeAll(keepingCapacity: true)
      }
    }
    for result in classify(chunk: chunk) { try body(result) }
  }

  /// Classifies one chunk of items with `options.threads` workers; results in input order.
  public func classify(chunk items: [PathItem]) -> [FileResult] {
    if items.isEmpty { return [] }
    let slots = Slots<Extracted>(count: items.count)
    let rate = classifier.sampleRate
    let work: @Sendable (Int) -> Void = { [self] i in
      switch items[i] {
      case .file(let path):
        do {
          let samples = try AudioFile.read(at: path, sampleRate: rate)
          slots.set(i, extract(samples))
        } catch {
          slots.set(i, .failed("\(error)"))
        }
      case .problem(_, let reason):
        slots.set(i, .failed(reason))
      }
    }
    let workers = min(options.threads, items.count)
    if workers == 1 {
      for i in items.indices { work(i) }
    } else {
      let counter = Counter(limit: items.count)
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while let i = counter.next() { work(i) }
      }
    }
    let extracted = slots.values()
    return score(extracted, paths: items.map(pathOf))
  }

  /// Classifies decoded audio already at the model's rate (one recording).
  public func classify(samples: [Float]) -> [WindowResult] {
    guard case .classified(_, let windows) = score([extract(samples)], paths: [""]).first else {
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
    let hopSeconds = options.windowHopSeconds ?? classifier.frontEnd.config.clipSeconds / 2
    let hop = max(1, Int((hopSeconds * Double(classifier.sampleRate)).rounded()))
    var starts = Array(stride(from: 0, through: count - clip, by: hop))
    if let last = starts.last, last + clip < count { starts.append(count - clip) }
    return starts
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

  /// Features of one recording's windows, or why it failed.
  enum Extracted: Sendable {
    case windows(starts: [Int], features: [Float])
    case failed(String)
  }

  func extract(_ samples: [Float]) -> Extracted {
    let frontEnd = classifier.frontEnd
    if !options.allWindows || samples.count <= classifier.clipSamples {
      return .windows(starts: [0], features: frontEnd.features(clip: frontEnd.fitClip(samples)))
    }
    let starts = windowStarts(count: samples.count)
    var features: [Float] = []
    features.reserveCapacity(starts.count * frontEnd.inputSize)
    for start in starts {
      features += frontEnd.features(clip: Array(samples[start..<start + classifier.clipSamples]))
    }
    return .windows(starts: starts, features: features)
  }

  /// One batched network pass over every window of `extracted`.
  func score(_ extracted: [Extracted], paths: [String]) -> [FileResult] {
    var batch: [Float] = []
    var rows = 0
    for case .windows(let starts, let features) in extracted {
      batch += features
      rows += starts.count
    }
    let probabilities: Matrix? =
      rows == 0
      ? nil
      : classifier.probabilities(
        features: Matrix(rows: rows, cols: classifier.inputSize, values: batch))
    let labels = classifier.labels.count
    let rate = Double(classifier.sampleRate)
    var row = 0
    var results: [FileResult] = []
    results.reserveCapacity(extracted.count)
    for (item, path) in zip(extracted, paths) {
      switch item {
      case .failed(let reason):
        results.append(.failed(path: path, reason: reason))
      case .windows(let starts, _):
        var windows: [WindowResult] = []
        for start in starts {
          let values = probabilities!.values[(row * labels)..<((row + 1) * labels)]
          windows.append(decide(values, start: Double(start) / rate))
          row += 1
        }
        results.append(.classified(path: path, windows: windows))
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

/// Hands out indices 0..<limit to worker threads, each exactly once.
private final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  private let limit: Int

  init(limit: Int) { self.limit = limit }

  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard value < limit else { return nil }
    value += 1
    return value - 1
  }
}

/// Slots written once each by worker threads (distinct indices), read after all have finished.
private final class Slots<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var storage: [T?]

  init(count: Int) { storage = Array(repeating: nil, count: count) }

  func set(_ index: Int, _ value: T) {
    lock.lock()
    storage[index] = value
    lock.unlock()
  }

  func values() -> [T] { storage.map { $0! } }
}
