import SpeechAudio

extension BatchClassifier {
  /// Windows (clips) in one network pass: while a long recording streams by, and in `score`'s
  /// passes over a batch. 64 windows of five views at the defaults are 1.3 MB of features.
  static let windowsPerPass = 64

  /// Every window of the recording at `path` (`allWindows`), classified while the file is decoded
  /// in blocks: the windows and answers of `classify(batch:)` reading it whole, in memory of a
  /// clip, a block and `windowsPerPass` windows' features instead of the whole recording and
  /// all its windows' features (a 30-minute 48 kHz stereo file: 115 MB of samples and, at the
  /// default hop, 70 MB of features). Throws what `AudioFile.forEachBlock` throws.
  func classifyAllWindows(streamingFrom path: String) throws -> FileResult {
    let clip = classifier.clipSamples
    let hop = windowHopSamples
    let frontEnd = classifier.frontEnd
    var held: [Float] = []  // the recording from sample `heldFrom` on
    var heldFrom = 0
    var total = 0
    var nextStart = 0
    var starts: [Int] = []  // featurised, not yet scored
    var features: [Float] = []
    var windows: [WindowResult] = []
    var failure: String?

    func scorePending() {
      guard !starts.isEmpty, failure == nil else { return }
      switch score([.windows(starts: starts, features: features, notice: nil)], paths: [path])[0] {
      case .classified(_, let scored, _): windows += scored
      case .failed(_, let reason): failure = reason
      }
      starts.removeAll(keepingCapacity: true)
      features.removeAll(keepingCapacity: true)
    }
    func add(window start: Int, samples: ArraySlice<Float>) {
      starts.append(start)
      features += frontEnd.viewFeatures(clip: Array(samples))
      if starts.count == Self.windowsPerPass { scorePending() }
    }

    let cutShort = try AudioFile.forEachBlock(at: path, sampleRate: classifier.sampleRate) {
      block in
      held += block
      total += block.count
      while nextStart + clip <= total {
        let from = nextStart - heldFrom
        add(window: nextStart, samples: held[from..<from + clip])
        nextStart += hop
      }
      // Later windows need the samples from the next start on, and the last window, which
      // ends at the recording's end, its last clip; dropped in large steps to copy little.
      let keepFrom = min(nextStart, total - clip)
      if keepFrom - heldFrom > 4 * clip {
        held.removeFirst(keepFrom - heldFrom)
        heldFrom = keepFrom
      }
    }
    if total < clip {
      add(window: 0, samples: held[...])  // as `windowStarts`: one window, the whole recording
    } else if nextStart - hop + clip < total {
      add(window: total - clip, samples: held[(total - clip - heldFrom)...])
    }
    scorePending()
    if let failure { return .failed(path: path, reason: failure) }
    return .classified(path: path, windows: windows, notice: cutShort.map { "\($0)" })
  }
}
