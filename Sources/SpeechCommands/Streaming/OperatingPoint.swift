import Foundation
import SpeechModel

/// The streaming detector's settings a model carries: fitted by training on streams built from
/// its validation split, stored as JSON in `ModelMetadata.operatingPoint`, and used by `listen`
/// (and, for the threshold, `classify`) unless the caller overrides them.
public struct OperatingPoint: Codable, Sendable, Equatable {
  /// Averaged probability a word must exceed to be reported, in [0, 1].
  public var threshold: Float
  /// Milliseconds of window results averaged (`ScoreSmoother.Options.averageWindowMs`).
  public var averageWindowMs: Int64
  /// Milliseconds after a detection during which no other word is reported.
  public var suppressionMs: Int64
  /// Window results needed before anything is decided.
  public var minimumCount: Int
  /// What the settings achieved on the streams they were fitted on, for people (nil if unknown).
  public var fit: OperatingPointFit?

  /// Creates an operating point.
  public init(
    threshold: Float, averageWindowMs: Int64 = 500, suppressionMs: Int64 = 1500,
    minimumCount: Int = 3, fit: OperatingPointFit? = nil
  ) {
    self.threshold = threshold
    self.averageWindowMs = averageWindowMs
    self.suppressionMs = suppressionMs
    self.minimumCount = minimumCount
    self.fit = fit
  }

  /// The recogniser settings `base` with this operating point's values in place.
  public func applied(to base: ScoreSmoother.Options) -> ScoreSmoother.Options {
    var options = base
    options.detectionThreshold = threshold
    options.averageWindowMs = averageWindowMs
    options.suppressionMs = suppressionMs
    options.minimumCount = minimumCount
    return options
  }

  /// The compact JSON stored in `ModelMetadata.operatingPoint` (keys sorted: stable bytes).
  public func jsonString() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// Decodes the JSON written by `jsonString()`; nil when it is not of that form, out of range,
  /// or its averaging window cannot hold `minimumCount` results at `listen`'s default stride (it
  /// would never decide anything). A model with a damaged operating point falls back to the
  /// defaults, rather than failing `listen` over settings the user never gave.
  public init?(jsonString: String) {
    guard
      let point = try? JSONValueDecoder().decode(OperatingPoint.self, from: jsonString),
      (0...1).contains(point.threshold), (0...60_000).contains(point.averageWindowMs),
      (0...3_600_000).contains(point.suppressionMs), (1...10_000).contains(point.minimumCount)
    else { return nil }
    var options = SlidingWindowDetector.Options()
    options.recognizer = point.applied(to: options.recognizer)
    guard (try? options.validate()) != nil else { return nil }
    self = point
    // What the fit achieved is for people; figures no fit produces (a share of 1e300) are
    // dropped rather than printed.
    if let fit, !fit.isPlausible { self.fit = nil }
  }
}

/// How an operating point did on the streams it was fitted on (validation speakers).
public struct OperatingPointFit: Codable, Sendable, Equatable {
  /// Command words in the positive stream.
  public var words: Int
  /// Non-command words in the negative stream.
  public var nonCommandWords: Int
  /// Share of command words detected with the right label, in [0, 1].
  public var right: Double
  /// Share of command words detected with a wrong label, in [0, 1].
  public var wrong: Double
  /// Detections near no word in the positive stream, as a share of its words.
  public var spurious: Double
  /// Detections in the negative stream per non-command word.
  public var falseAcceptsPerWord: Double

  /// Counts not negative, shares of words in [0, 1], per-word rates finite and under 1000.
  var isPlausible: Bool {
    words >= 0 && nonCommandWords >= 0 && (0...1).contains(right) && (0...1).contains(wrong)
      && (0...1000).contains(spurious) && (0...1000).contains(falseAcceptsPerWord)
  }

  /// Creates a summary.
  public init(
    words: Int, nonCommandWords: Int, right: Double, wrong: Double, spurious: Double,
    falseAcceptsPerWord: Double
  ) {
    self.words = words
    self.nonCommandWords = nonCommandWords
    self.right = right
    self.wrong = wrong
    self.spurious = spurious
    self.falseAcceptsPerWord = falseAcceptsPerWord
  }
}
