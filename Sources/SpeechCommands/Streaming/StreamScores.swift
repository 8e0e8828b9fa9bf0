import SpeechModel

/// The probabilities of every window of a whole recorded stream, kept so that `listen`'s
/// decisions can be replayed under many recogniser settings (a threshold sweep, an operating
/// point fit) without scoring the audio again: scoring is the expensive part, replaying costs a
/// few operations per window.
public struct StreamScores: Sendable {
  /// The labels, in the order of each row.
  public let labels: [String]
  /// Sample rate of the stream, in Hz (the model's).
  public let sampleRate: Int
  /// Start of each window, in samples from the start of the stream.
  public let windowStarts: [Int64]
  /// Probabilities, `windowStarts.count × labels.count`, row-major.
  public let rows: [Float]
  /// Length of the stream in seconds.
  public let seconds: Double

  /// Scores every window of `audio` (at the model's rate) as `listen` does, one window every
  /// `strideSeconds`.
  public init(classifier: Classifier, audio: [Float], strideSeconds: Double = 0.03) {
    let rate = classifier.sampleRate
    let scorer = SlidingWindowScorer(
      classifier: classifier,
      strideSamples: max(1, Int((strideSeconds * Double(rate)).rounded())))
    var starts: [Int64] = []
    var rows: [Float] = []
    scorer.process(audio) { start, scores in
      starts.append(start)
      rows += scores
    }
    self.labels = classifier.labels
    self.sampleRate = rate
    self.windowStarts = starts
    self.rows = rows
    self.seconds = Double(audio.count) / Double(rate)
  }

  /// The words `listen` would report with `options` (time = start of the triggering window).
  public func detections(_ options: ScoreSmoother.Options) -> [Detection] {
    var smoother = ScoreSmoother(labels: labels, options: options)
    let count = labels.count
    let rate = Int64(sampleRate)
    var found: [Detection] = []
    for (index, start) in windowStarts.enumerated() {
      let decision = smoother.process(
        scores: Array(rows[(index * count)..<((index + 1) * count)]), timeMs: start * 1000 / rate)
      if decision.isReportedCommand {
        found.append(
          Detection(
            time: Double(start) / Double(rate), label: decision.label, score: decision.score))
      }
    }
    return found
  }
}
