import Foundation
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// `StreamScores` (record once, replay), `DetectionStreams` (the measured streams) and
/// `DetectionSweep` (thresholds, operating point).
@Suite struct DetectionSweepTests {
  @Test func replayingRecordedScoresGivesTheDetectorsDetections() throws {
    let audio = ListenTests.quantised
    let scores = StreamScores(classifier: SyntheticFixture.classifier, audio: audio)
    let replayed = scores.detections(ScoreSmoother.Options())
    #expect(!replayed.isEmpty)
    let live = try ListenTests.detect(audio)
    #expect(replayed.map(\.label) == live.map(\.label))
    #expect(replayed.map(\.time) == live.map(\.time))
    // One window per 30 ms stride that fits: ⌊(samples − clip) / stride⌋ + 1.
    let clip = SyntheticFixture.classifier.clipSamples
    let stride = Int((0.03 * Double(SyntheticFixture.classifier.sampleRate)).rounded())
    #expect(scores.windowStarts.count == (audio.count - clip) / stride + 1)
  }

  /// Commands "a"/"b" as constant 1 s clips of 0.1/0.2, non-commands of 0.3, background of 0.
  static func streams(seed: UInt64 = 1) -> DetectionStreams {
    var recipe = DetectionStreams.Recipe()
    recipe.words = 5
    recipe.nonCommandWords = 3
    recipe.gapClips = 2
    recipe.seed = seed
    let rate = 100
    return DetectionStreams(
      commands: [("a", [Float](repeating: 0.1, count: rate)), ("b", [Float](repeating: 0.2, count: rate))],
      nonCommands: [[Float](repeating: 0.3, count: rate)],
      background: [[Float](repeating: 0, count: rate)], sampleRate: rate, recipe: recipe)
  }

  @Test func streamsPlaceEachWordBetweenBackgroundClips() {
    let s = Self.streams()
    // 2 background clips, then (word + 2 background clips) × 5, 1 s each at 100 Hz.
    #expect(s.positive.audio.count == (2 + 5 * 3) * 100)
    #expect(s.positive.truth.map(\.time) == [2, 5, 8, 11, 14])
    for word in s.positive.truth {
      let value = s.positive.audio[Int(word.time * 100) + 50]
      #expect(value == (word.label == "a" ? 0.1 : 0.2))
    }
    #expect(s.negative.words == 3 && s.negative.audio.count == (2 + 3 * 3) * 100)
    #expect(s.negative.audio.filter { $0 == 0.3 }.count == 300)
    // Deterministic: the same seed gives the same stream.
    #expect(Self.streams().positive.truth == s.positive.truth)
  }

  @Test func anImpossibleThresholdFindsNothing() {
    let scores = StreamScores(classifier: SyntheticFixture.classifier, audio: ListenTests.quantised)
    let points = DetectionSweep.run(
      positive: scores, truth: ListenTests.stream.truth, negative: scores, negativeWords: 4,
      base: ScoreSmoother.Options(), thresholds: [0.5, 1])
    #expect(points.map(\.threshold) == [0.5, 1])
    let never = points[1]
    #expect(never.right == 0 && never.missRate == 1 && never.falseAccepts == 0)
    #expect(never.falseAcceptsPerHour == 0 && never.noiseFalseAcceptsPerHour == nil)
    // At 0.5 the positive stream's detections are all false accepts of the "negative" one.
    let half = points[0]
    #expect(half.right > 0.5)
    #expect(half.falseAccepts == scores.detections(ScoreSmoother.Options().with(0.5)).count)
    #expect(half.falseAcceptsPerWord == Double(half.falseAccepts) / 4)
    #expect(
      abs(half.falseAcceptsPerHour - Double(half.falseAccepts) * 3600 / scores.seconds) < 1e-9)
  }

  static func point(_ t: Float, right: Double, spurious: Double = 0, faPerWord: Double)
    -> DetectionSweepPoint
  {
    DetectionSweepPoint(
      threshold: t, matched: right, right: right, wrong: 0, spurious: spurious,
      missRate: 1 - right, falseAccepts: 0, falseAcceptsPerHour: 0,
      falseAcceptsPerWord: faPerWord, noiseFalseAcceptsPerHour: nil)
  }

  @Test func theOperatingPointPutsFewFalseAcceptsFirst() {
    let points = [
      Self.point(0.4, right: 0.9, faPerWord: 0.10),
      Self.point(0.5, right: 0.8, spurious: 0.06, faPerWord: 0.01),
      Self.point(0.6, right: 0.7, faPerWord: 0.02),
      Self.point(0.7, right: 0.7, faPerWord: 0.00),
      Self.point(0.8, right: 0.5, faPerWord: 0.00),
    ]
    // 0.5 has too many spurious detections; 0.6 and 0.7 tie on words right: the higher wins.
    #expect(DetectionSweep.operatingPoint(points)?.threshold == 0.7)
    // Nothing within the limits: the fewest false accepts + spurious, then the most right.
    let bad = [
      Self.point(0.4, right: 0.9, faPerWord: 0.3), Self.point(0.6, right: 0.6, faPerWord: 0.1),
      Self.point(0.8, right: 0.5, faPerWord: 0.1),
    ]
    #expect(DetectionSweep.operatingPoint(bad)?.threshold == 0.6)
    #expect(DetectionSweep.operatingPoint([]) == nil)
  }
}

extension ScoreSmoother.Options {
  /// These options with another detection threshold.
  fileprivate func with(_ threshold: Float) -> ScoreSmoother.Options {
    var copy = self
    copy.detectionThreshold = threshold
    return copy
  }
}

/// Training's operating-point fit on validation streams (`OperatingPointFitter`).
@Suite struct OperatingPointFitterTests {
  /// A validation split of synthetic words (6 of each command word, 5 non-command clips, 4
  /// silences) whose files do not exist, so the fitter streams the loaded clips.
  static func dataset(unknownClips: Int = 5) -> LoadedDataset {
    var rng = SeededGenerator(seed: 12)
    let labels = SyntheticWords.labels
    var examples: [Example] = []
    var clips: [[Float]] = []
    func add(_ label: String, _ count: Int) {
      for i in 0..<count {
        examples.append(
          Example(
            path: "/nonexistent/\(label)-\(i).wav", label: labels.firstIndex(of: label)!,
            split: .validation, isGeneratedSilence: false))
        clips.append(SyntheticFixture.clip(label, using: &rng))
      }
    }
    for word in SyntheticWords.words { add(word, 6) }
    add(unknownLabel, unknownClips)
    add(silenceLabel, 4)
    return LoadedDataset(
      labels: labels, examples: examples, clips: clips, noise: [], unreadable: [], warnings: [])
  }

  @Test func fitsOnEveryValidationWordAndStaysInTheSweptRange() throws {
    let point = try #require(
      OperatingPointFitter.fit(classifier: SyntheticFixture.classifier, dataset: Self.dataset()))
    #expect(DetectionSweep.defaultThresholds.contains(point.threshold))
    #expect(OperatingPointFitter.averageWindowsMs.contains(point.averageWindowMs))
    #expect(point.suppressionMs == 1500 && point.minimumCount == 3)
    let fit = try #require(point.fit)
    #expect(fit.words == 18 && fit.nonCommandWords == 5)
    // The model tells the synthetic words apart: the fitted point finds most of them.
    #expect(fit.right >= 0.8)
    #expect(fit.falseAcceptsPerWord <= 0.2)
  }

  @Test func nothingToFitWithoutNonCommandWords() {
    #expect(
      OperatingPointFitter.fit(
        classifier: SyntheticFixture.classifier, dataset: Self.dataset(unknownClips: 0)) == nil)
  }
}
