import Testing

@testable import SpeechCommands

/// Hand-computed traces of TensorFlow's RecognizeCommands rules (500 ms average, 0.7 threshold,
/// 1500 ms suppression, minimum count 3), one result every 100 ms.
@Suite struct ScoreSmootherTests {
  let labels = [silenceLabel, "yes", "no"]
  let yes: [Float] = [0, 1, 0]
  let quiet: [Float] = [1, 0, 0]

  func tfExact() -> ScoreSmoother.Options {
    var options = ScoreSmoother.Options()
    options.repeatAfterQuiet = false
    return options
  }

  @Test func waitsForMinimumCountThenDetects() {
    var recognizer = ScoreSmoother(labels: labels, options: tfExact())
    let first = recognizer.process(scores: yes, timeMs: 0)
    #expect(first == .init(label: silenceLabel, score: 0, isNewCommand: false))
    #expect(recognizer.process(scores: yes, timeMs: 100).isNewCommand == false)
    let third = recognizer.process(scores: yes, timeMs: 200)
    #expect(third == .init(label: "yes", score: 1, isNewCommand: true))
    // The same label again is never new.
    #expect(
      recognizer.process(scores: yes, timeMs: 300)
        == .init(label: "yes", score: 1, isNewCommand: false))
  }

  @Test func spanShorterThanAQuarterWindowDecidesNothing() {
    var recognizer = ScoreSmoother(labels: labels, options: tfExact())
    // Three results within 100 ms < 500/4 ms: too short a span.
    _ = recognizer.process(scores: yes, timeMs: 0)
    _ = recognizer.process(scores: yes, timeMs: 50)
    #expect(recognizer.process(scores: yes, timeMs: 100).score == 0)
    #expect(recognizer.process(scores: yes, timeMs: 125).isNewCommand)
  }

  @Test func averagesOverTheWindowAndSuppresses() {
    var recognizer = ScoreSmoother(labels: labels, options: tfExact())
    for t in stride(from: Int64(0), through: 300, by: 100) {
      _ = recognizer.process(scores: yes, timeMs: t)
    }
    // t=400: five results, yes = 4/5.
    let d400 = recognizer.process(scores: quiet, timeMs: 400)
    #expect(d400.label == "yes" && abs(d400.score - 0.8) < 1e-6 && !d400.isNewCommand)
    // t=500: results 0…500 (0 is not older than 500-500), yes = 4/6 ≤ 0.7.
    let d500 = recognizer.process(scores: quiet, timeMs: 500)
    #expect(abs(d500.score - 4.0 / 6) < 1e-6)
    _ = recognizer.process(scores: quiet, timeMs: 600)
    _ = recognizer.process(scores: quiet, timeMs: 700)
    // t=800: results 300…800, silence = 5/6 > 0.7 but only 600 ms after "yes": suppressed.
    let d800 = recognizer.process(scores: quiet, timeMs: 800)
    #expect(d800.label == silenceLabel && abs(d800.score - 5.0 / 6) < 1e-6 && !d800.isNewCommand)
    for t in stride(from: Int64(900), through: 1700, by: 100) {
      #expect(!recognizer.process(scores: quiet, timeMs: t).isNewCommand)
    }
    // t=1800: 1600 ms > 1500 ms after "yes": silence becomes the command.
    #expect(
      recognizer.process(scores: quiet, timeMs: 1800)
        == .init(label: silenceLabel, score: 1, isNewCommand: true))
    // After silence there is no suppression: "yes" returns as soon as its average exceeds 0.7.
    #expect(!recognizer.process(scores: yes, timeMs: 1900).isNewCommand)
    #expect(!recognizer.process(scores: yes, timeMs: 2000).isNewCommand)
    #expect(!recognizer.process(scores: yes, timeMs: 2100).isNewCommand)
    #expect(!recognizer.process(scores: yes, timeMs: 2200).isNewCommand)  // 4/6
    let d2300 = recognizer.process(scores: yes, timeMs: 2300)  // 5/6
    #expect(d2300.label == "yes" && d2300.isNewCommand && abs(d2300.score - 5.0 / 6) < 1e-6)
  }

  /// "yes", a stretch the model scores below the threshold for every label, "yes" again.
  func repeatedWord(_ options: ScoreSmoother.Options) -> [Int64] {
    var recognizer = ScoreSmoother(labels: labels, options: options)
    let unsure: [Float] = [0.5, 0.3, 0.2]
    var detections: [Int64] = []
    var t: Int64 = 0
    for scores in Array(repeating: yes, count: 5) + Array(repeating: unsure, count: 20)
      + Array(repeating: yes, count: 5)
    {
      if recognizer.process(scores: scores, timeMs: t).isNewCommand { detections.append(t) }
      t += 100
    }
    return detections
  }

  @Test func tensorFlowReportsARepeatedWordOnceWithoutSilenceInBetween() {
    #expect(repeatedWord(tfExact()) == [200])
  }

  @Test func repeatAfterQuietReportsItTwice() {
    #expect(repeatedWord(ScoreSmoother.Options()) == [200, 2800])
  }

  @Test func tiesGoToTheFirstLabel() {
    var recognizer = ScoreSmoother(labels: labels, options: tfExact())
    let tie: [Float] = [0, 0.5, 0.5]
    for t in stride(from: Int64(0), through: 300, by: 100) {
      #expect(recognizer.process(scores: tie, timeMs: t).label != "no")
    }
  }
}
