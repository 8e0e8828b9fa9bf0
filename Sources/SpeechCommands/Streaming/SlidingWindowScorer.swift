import SpeechModel

/// Slides the model's window over an endless stream of samples and scores every window: the
/// expensive half of `listen` (features and network), without any decision.
///
/// Windows of `clipSamples` start every `strideSamples` (the first at sample 0; a tail shorter
/// than a window is never scored, as in TensorFlow's streaming test). Each window's clip is cut
/// as `FrontEnd.fitClip` cuts it, its start moved to the stream's frame grid so every MFCC frame
/// is computed once (`StreamFrameCache`; front ends with clip-wide steps compute each clip).
///
/// Views (`FrontEndConfig.viewShifts`) take turns: window n is scored on view n mod `views` of
/// its clip alone, not on all of them. Every window of a word holds the same centred clip, so
/// the averaging of `listen`'s decisions (hundreds of ms, a dozen windows and more) takes the mean
/// over the views that `Classifier` takes for one clip, at the cost of one network pass a window.
///
/// The windows completed by
/// each `process` call are featurised and scored in batches of at most `maximumBatch`. Memory is
/// constant: one window plus the samples of the current call. Not thread-safe: one stream per
/// instance. `SlidingWindowDetector` adds the decisions; `StreamScores` keeps the rows to replay
/// them under many settings.
public final class SlidingWindowScorer {
  /// The model.
  public let classifier: Classifier
  /// Samples between window starts.
  public let strideSamples: Int
  /// Windows scored per network pass at most.
  public let maximumBatch: Int
  /// Samples not yet discarded; `buffer[0]` is stream sample `bufferOrigin`.
  private var buffer: [Float] = []
  /// Running energy sums of the buffer (`LoudestWindow`): `energySums[i]` before `buffer[i]`,
  /// one more value than `buffer`; kept only with a frame cache, which centres windows with them.
  private var energySums: [Int64] = [0]
  private var bufferOrigin: Int64 = 0
  private var nextStart: Int64 = 0
  /// Samples fed so far.
  public private(set) var samplesSeen: Int64 = 0
  /// Windows scored so far.
  public private(set) var windowsScored: Int64 = 0
  /// Each MFCC frame computed once (nil for front ends whose frames depend on the whole clip,
  /// which compute every window's clip afresh).
  private let frameCache: StreamFrameCache?

  /// A scorer of `classifier`'s windows every `strideSamples` (at least 1) samples.
  public init(classifier: Classifier, strideSamples: Int, maximumBatch: Int = 256) {
    self.classifier = classifier
    self.strideSamples = max(1, strideSamples)
    self.maximumBatch = max(1, maximumBatch)
    frameCache = StreamFrameCache(frontEnd: classifier.frontEnd)
    buffer.reserveCapacity(classifier.clipSamples * 2)
  }

  /// Feeds the next samples (at the model's rate) and calls `onWindow` with the start (stream
  /// sample index) and the probabilities (one per label) of each window they complete, in order.
  public func process<E: Error>(
    _ samples: [Float], onWindow: (Int64, ArraySlice<Float>) throws(E) -> Void
  ) throws(E) {
    samplesSeen += Int64(samples.count)
    buffer += samples
    if frameCache != nil {
      samples.withUnsafeBufferPointer { LoudestWindow.appendRunningSums(of: $0, to: &energySums) }
    }
    let clip = Int64(classifier.clipSamples)
    var starts: [Int64] = []
    while nextStart + clip <= bufferOrigin + Int64(buffer.count) {
      starts.append(nextStart)
      nextStart += Int64(strideSamples)
      if starts.count == maximumBatch {
        try score(starts, onWindow: onWindow)
        starts.removeAll(keepingCapacity: true)
      }
    }
    try score(starts, onWindow: onWindow)
    let discard = Int(min(nextStart - bufferOrigin, Int64(buffer.count)))
    if discard > 0 {
      buffer.removeFirst(discard)
      if frameCache != nil { energySums.removeFirst(discard) }
      bufferOrigin += Int64(discard)
    }
  }

  /// Scores the windows starting at `starts` (stream sample indices) in one batch.
  private func score<E: Error>(
    _ starts: [Int64], onWindow: (Int64, ArraySlice<Float>) throws(E) -> Void
  ) throws(E) {
    if starts.isEmpty { return }
    let clip = classifier.clipSamples
    let frontEnd = classifier.frontEnd
    var features: [Float] = []
    let views = Int64(classifier.views)
    let viewOf = { (row: Int) in Int((self.windowsScored + Int64(row)) % views) }
    if let frameCache {
      let size = classifier.inputSize
      features = [Float](repeating: 0, count: starts.count * size)
      features.withUnsafeMutableBufferPointer { out in
        buffer.withUnsafeBufferPointer { samples in
          energySums.withUnsafeBufferPointer { sums in
            for (row, start) in starts.enumerated() {
              frameCache.features(
                windowAt: start, buffer: samples, energySums: sums, origin: bufferOrigin,
                view: viewOf(row), into: out.baseAddress! + row * size)
            }
          }
        }
      }
    } else {
      features.reserveCapacity(starts.count * classifier.inputSize)
      for (row, start) in starts.enumerated() {
        let offset = Int(start - bufferOrigin)
        features += frontEnd.viewFeatures(
          clip: Array(buffer[offset..<offset + clip]), view: viewOf(row))
      }
    }
    let probabilities = classifier.probabilities(
      viewFeatures: Matrix(rows: starts.count, cols: classifier.inputSize, values: features))
    windowsScored += Int64(starts.count)
    let labels = classifier.labels.count
    for (row, start) in starts.enumerated() {
      try onWindow(start, probabilities.values[(row * labels)..<((row + 1) * labels)])
    }
  }
}
