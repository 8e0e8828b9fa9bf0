import Foundation

/// What `listen` does on a positive and a negative stream at one threshold: the figures of
/// TensorFlow's streaming test plus the false-accept rates of wake-word benchmarks (Picovoice,
/// openWakeWord). Shares are in [0, 1].
public struct DetectionSweepPoint: Sendable, Equatable, Codable {
  /// The detection threshold.
  public var threshold: Float
  /// Command words some detection fell near, as a share of the words.
  public var matched: Double
  /// Words detected with the right label.
  public var right: Double
  /// Detections near a word with a wrong label (or a second one), per word.
  public var wrong: Double
  /// Detections near no word of the positive stream, per word.
  public var spurious: Double
  /// Words not detected with the right label: `1 − right` (the DET curve's y).
  public var missRate: Double
  /// Detections in the negative stream.
  public var falseAccepts: Int
  /// False accepts per hour of negative stream (the DET curve's x).
  public var falseAcceptsPerHour: Double
  /// False accepts per non-command word.
  public var falseAcceptsPerWord: Double
  /// Detections per hour of background noise alone (nil when no noise was measured).
  public var noiseFalseAcceptsPerHour: Double?
}

/// Replays recorded stream scores (`StreamScores`) under a range of thresholds.
public enum DetectionSweep {
  /// Thresholds 0.30, 0.35, … 0.95.
  public static let defaultThresholds: [Float] = stride(from: 30, through: 95, by: 5).map {
    Float($0) / 100
  }

  /// One point per threshold; every other recogniser setting is `base`'s.
  ///
  /// `positive` holds command words at the `truth` times; `negative` holds `negativeWords`
  /// non-command words; `noise` (optional) is background alone.
  public static func run(
    positive: StreamScores, truth: [TimedLabel], negative: StreamScores, negativeWords: Int,
    noise: StreamScores? = nil, base: ScoreSmoother.Options, thresholds: [Float],
    toleranceMs: Int64 = DetectionScorer.defaultToleranceMs
  ) -> [DetectionSweepPoint] {
    thresholds.map { threshold in
      var options = base
      options.detectionThreshold = threshold
      let score = self.score(positive: positive, truth: truth, options: options, toleranceMs)
      let falseAccepts = negative.detections(options).count
      let noiseAccepts = noise.map { Double($0.detections(options).count) }
      return DetectionSweepPoint(
        threshold: threshold, matched: share(score.matched, score.truthWords),
        right: share(score.correct, score.truthWords), wrong: share(score.wrong, score.truthWords),
        spurious: share(score.falsePositives, score.truthWords),
        missRate: 1 - share(score.correct, score.truthWords), falseAccepts: falseAccepts,
        falseAcceptsPerHour: perHour(Double(falseAccepts), negative.seconds),
        falseAcceptsPerWord: share(falseAccepts, negativeWords),
        noiseFalseAcceptsPerHour: noise.map { perHour(noiseAccepts ?? 0, $0.seconds) })
    }
  }

  /// The positive stream scored against its truth with `options`.
  public static func score(
    positive: StreamScores, truth: [TimedLabel], options: ScoreSmoother.Options,
    _ toleranceMs: Int64 = DetectionScorer.defaultToleranceMs
  ) -> DetectionScore {
    DetectionScorer.score(
      truth: truth,
      detections: positive.detections(options).map { TimedLabel(label: $0.label, time: $0.time) },
      toleranceMs: toleranceMs)
  }

  /// The point to operate at, "few false accepts first": among the points with at most
  /// `maxFalseAcceptsPerWord` false accepts per non-command word and at most `maxSpurious`
  /// spurious detections per word, the one with the most words right (ties: the higher
  /// threshold); if none qualifies, the one with the fewest false accepts and spurious
  /// detections (ties: the most words right, then the higher threshold). Nil for no points.
  public static func operatingPoint(
    _ points: [DetectionSweepPoint], maxFalseAcceptsPerWord: Double = 0.02,
    maxSpurious: Double = 0.05
  ) -> DetectionSweepPoint? {
    let allowed = points.filter {
      $0.falseAcceptsPerWord <= maxFalseAcceptsPerWord && $0.spurious <= maxSpurious
    }
    if !allowed.isEmpty {
      return allowed.max { ($0.right, $0.threshold) < ($1.right, $1.threshold) }
    }
    return points.max {
      (-($0.falseAcceptsPerWord + $0.spurious), $0.right, $0.threshold)
        < (-($1.falseAcceptsPerWord + $1.spurious), $1.right, $1.threshold)
    }
  }

  private static func share(_ count: Int, _ total: Int) -> Double {
    total == 0 ? 0 : Double(count) / Double(total)
  }

  private static func perHour(_ count: Double, _ seconds: Double) -> Double {
    seconds > 0 ? count * 3600 / seconds : 0
  }
}
