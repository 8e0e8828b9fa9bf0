import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechCommands

@Suite struct DetectionScorerTests {
  let truth = [
    TimedLabel(label: "yes", time: 1.0), TimedLabel(label: "no", time: 3.0),
    TimedLabel(label: "up", time: 5.0),
  ]

  /// Hand-worked with TensorFlow's CalculateAccuracyStats rules (750 ms tolerance).
  @Test func countsLikeTensorFlow() {
    let detections = [
      TimedLabel(label: "yes", time: 1.3),  // correct
      TimedLabel(label: "yes", time: 1.5),  // near "yes", already matched: wrong
      TimedLabel(label: "no", time: 2.9),  // correct
      TimedLabel(label: "down", time: 5.7),  // near "up": wrong
      TimedLabel(label: "left", time: 8.0),  // near nothing: false positive
    ]
    let score = DetectionScorer.score(truth: truth, detections: detections)
    #expect(
      score
        == DetectionScore(
          truthWords: 3, matched: 3, correct: 2, wrong: 2, falsePositives: 1,
          perLabel: [
            "yes": LabelDetections(words: 1, correct: 1),
            "no": LabelDetections(words: 1, correct: 1),
            "up": LabelDetections(words: 1, correct: 0),
          ]))
    #expect(score.perLabel["up"]?.missRate == 1 && score.perLabel["yes"]?.missRate == 0)
    #expect(
      score.summary == "100.0% matched, 66.7% correctly, 66.7% wrongly, 33.3% false positives")
  }

  @Test func toleranceBoundsAreInclusive() {
    let at = DetectionScorer.score(truth: truth, detections: [TimedLabel(label: "yes", time: 1.75)])
    #expect(at.correct == 1)
    let past = DetectionScorer.score(
      truth: truth, detections: [TimedLabel(label: "yes", time: 1.751)])
    #expect(past.falsePositives == 1 && past.matched == 0)
    let tight = DetectionScorer.score(
      truth: truth, detections: [TimedLabel(label: "yes", time: 1.3)], toleranceMs: 200)
    #expect(tight.falsePositives == 1)
  }

  @Test func noDetectionsMatchesNothing() {
    let score = DetectionScorer.score(truth: truth, detections: [])
    #expect(score.matched == 0 && score.percent(score.matched) == 0)
    #expect(DetectionScorer.score(truth: [], detections: []).summary.hasPrefix("no ground truth"))
  }

  @Test func truthFileParsesHeaderBlankLinesAndRejectsGarbage() throws {
    let entries = try TruthFile.parse("label,time_seconds\nyes,1.5\n\nno , 3.25\r\n", path: "t.csv")
    #expect(entries == [TimedLabel(label: "yes", time: 1.5), TimedLabel(label: "no", time: 3.25)])
    #expect(throws: TruthFileError.badLine(path: "t.csv", line: 2, text: "yes;1.5")) {
      try TruthFile.parse("label,time_seconds\nyes;1.5\n", path: "t.csv")
    }
    #expect(throws: TruthFileError.badLine(path: "t.csv", line: 2, text: "no,soon")) {
      try TruthFile.parse("yes,1\nno,soon\n", path: "t.csv")
    }
    #expect(throws: TruthFileError.self) { try TruthFile.read(at: "/nonexistent/truth.csv") }
    // Times are decimal seconds: `Double` would read 0x10 as 16.
    #expect(throws: TruthFileError.badLine(path: "t.csv", line: 2, text: "yes,0x10")) {
      try TruthFile.parse("yes,1\nyes,0x10\n", path: "t.csv")
    }
    #expect(try TruthFile.parse("yes,2e1\n", path: "t.csv") == [TimedLabel(label: "yes", time: 20)])
  }

  /// What is not a text file is refused with the reason, not a Foundation error number, and a
  /// device that never ends (`/dev/zero`) is not read at all.
  @Test func truthFilesThatAreNotFilesAreNamed() throws {
    let folder = try TemporaryFolder()
    #expect(throws: TruthFileError.unreadable(path: folder.path, reason: "it is a folder")) {
      try TruthFile.read(at: folder.path)
    }
    #expect(
      throws: TruthFileError.unreadable(path: "/dev/zero", reason: "it is not a regular file")
    ) { try TruthFile.read(at: "/dev/zero") }
    try Data([0x79, 0x65, 0x73, 0x2C, 0x31, 0xFF, 0x0A]).write(
      to: URL(fileURLWithPath: folder.path + "/t.csv"))
    #expect(
      throws: TruthFileError.unreadable(
        path: folder.path + "/t.csv", reason: "it is not UTF-8 text")
    ) { try TruthFile.read(at: folder.path + "/t.csv") }
  }

  @Test func truthFileRoundTrips() throws {
    let text = TruthFile.csv(truth)
    #expect(text == "label,time_seconds\nyes,1.000\nno,3.000\nup,5.000\n")
    #expect(try TruthFile.parse(text, path: "x") == truth)
  }
}
