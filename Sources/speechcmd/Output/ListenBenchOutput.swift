import Foundation
import SpeechBench
import SpeechCommands

/// What `speechcmd bench listen` prints as text.
extension ListenBenchmark.Report {
  /// The report as readable lines: the streams, one row per threshold, miss rate per word.
  /// `thresholdGiven`: the default threshold is the `--threshold` flag's, not the model's.
  func lines(thresholdGiven: Bool = false) -> [String] {
    func pct(_ v: Double) -> String { String(format: "%5.1f%%", v * 100) }
    var out = [
      "bench listen: \(model) on the \(split) split of \(data)",
      String(
        format: "streams: %d command words (%.0f s), %d non-command words (%.0f s)", words,
        positiveSeconds, nonCommandWords, negativeSeconds)
        + (noiseSeconds.map { String(format: ", %.0f s of background noise alone", $0) } ?? ""),
      String(
        format: "settings: stride %.3f s, average %d ms, suppression %d ms, minimum count %d; "
          + "default threshold %.2f (%@)", strideSeconds, averageWindowMs, suppressionMs,
        minimumCount, defaultThreshold,
        thresholdGiven
          ? "--threshold"
          : modelHasOperatingPoint ? "the model's operating point" : "listen's default"),
      "",
      "threshold  matched   right   wrong  spurious    miss     FA/h  FA/word  noise FA/h",
    ]
    for p in points {
      let noise = p.noiseFalseAcceptsPerHour.map { String(format: "%10.1f", $0) } ?? "       n/a"
      out.append(
        String(format: "%@%8.2f", p.threshold == defaultThreshold ? "*" : " ", p.threshold)
          + "  \(pct(p.matched))  \(pct(p.right))  \(pct(p.wrong))    \(pct(p.spurious))  "
          + "\(pct(p.missRate))" + String(format: " %8.1f", p.falseAcceptsPerHour)
          + "   \(pct(p.falseAcceptsPerWord))" + noise)
    }
    out.append("(* the default threshold; shares of command words, FA: false accepts)")
    let perWord = byWord.keys.sorted().map { word in
      let w = byWord[word]!
      return "\(word) \(Int((w.missRate * 100).rounded()))% (\(w.words - w.correct)/\(w.words))"
    }
    out.append(
      String(format: "miss rate per word at %.2f: ", defaultThreshold)
        + perWord.joined(separator: ", "))
    return out
  }
}
