import Foundation

/// A word at a time: a ground-truth entry or a detection, for scoring.
public struct TimedLabel: Sendable, Equatable {
  /// The word.
  public var label: String
  /// Seconds from the start of the stream.
  public var time: Double

  /// Creates an entry.
  public init(label: String, time: Double) {
    self.label = label
    self.time = time
  }
}

/// TensorFlow's streaming accuracy figures (`StreamingAccuracyStats`), as counts.
public struct DetectionScore: Sendable, Equatable {
  /// Ground-truth words considered.
  public var truthWords: Int
  /// Ground-truth words some detection fell near (within the tolerance).
  public var matched: Int
  /// Detections near a ground-truth word with the same label, not matched before.
  public var correct: Int
  /// Detections near a ground-truth word with another label (or one already matched).
  public var wrong: Int
  /// Detections near no ground-truth word.
  public var falsePositives: Int
  /// Per ground-truth label: its words and how many of them were detected correctly.
  public var perLabel: [String: LabelDetections] = [:]

  /// `count` as a percentage of the ground-truth words (0 when there are none).
  public func percent(_ count: Int) -> Double {
    truthWords == 0 ? 0 : Double(count) * 100 / Double(truthWords)
  }

  /// TensorFlow's summary line: `95.0% matched, 90.0% correctly, 5.0% wrongly, 2.5% false positives`.
  public var summary: String {
    if truthWords == 0 { return "no ground truth words, \(falsePositives) false positives" }
    return String(
      format: "%.1f%% matched, %.1f%% correctly, %.1f%% wrongly, %.1f%% false positives",
      percent(matched), percent(correct), percent(wrong), percent(falsePositives))
  }
}

/// How the words of one label fared in a `DetectionScore`.
public struct LabelDetections: Sendable, Equatable, Codable {
  /// Ground-truth words with this label.
  public var words: Int
  /// Of them, detected with the right label.
  public var correct: Int

  /// Share of the words not detected correctly, in [0, 1] (0 when there are none).
  public var missRate: Double { words == 0 ? 0 : Double(words - correct) / Double(words) }
}

/// Scores detections against ground truth like TensorFlow's `CalculateAccuracyStats`
/// (tensorflow/examples/speech_commands/accuracy_utils.cc).
///
/// Times are compared in whole milliseconds. Each detection, in time order, looks at the ground
/// truth in time order and takes the first word within ±`toleranceMs` of it: same label and not
/// yet matched → correct, otherwise → wrong (so a second detection of one word counts as wrong);
/// the word is then matched. A detection near no word is a false positive. All percentages are of
/// the ground-truth words, so they need not add up to 100.
public enum DetectionScorer {
  /// The default tolerance, 750 ms (TensorFlow's `time_tolerance_ms`).
  public static let defaultToleranceMs: Int64 = 750

  /// Scores `detections` against `truth`.
  public static func score(
    truth: [TimedLabel], detections: [TimedLabel], toleranceMs: Int64 = defaultToleranceMs
  ) -> DetectionScore {
    let truthMs = truth.map { ($0.label, milliseconds($0.time)) }.sorted { $0.1 < $1.1 }
    var matchedTimes = Set<Int64>()
    var score = DetectionScore(
      truthWords: truth.count, matched: 0, correct: 0, wrong: 0, falsePositives: 0)
    for detection in detections.sorted(by: { $0.time < $1.time }) {
      let time = milliseconds(detection.time)
      let earliest = time - toleranceMs
      let latest = time + toleranceMs
      guard let (label, truthTime) = truthMs.first(where: { $0.1 >= earliest && $0.1 <= latest })
      else {
        score.falsePositives += 1
        continue
      }
      if label == detection.label && !matchedTimes.contains(truthTime) {
        score.correct += 1
        score.perLabel[label, default: LabelDetections(words: 0, correct: 0)].correct += 1
      } else {
        score.wrong += 1
      }
      matchedTimes.insert(truthTime)
    }
    score.matched = matchedTimes.count
    for (label, _) in truthMs {
      score.perLabel[label, default: LabelDetections(words: 0, correct: 0)].words += 1
    }
    return score
  }

  /// Whole milliseconds, rounded to the nearest.
  static func milliseconds(_ seconds: Double) -> Int64 { Int64((seconds * 1000).rounded()) }
}
