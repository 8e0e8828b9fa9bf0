import Foundation
import SpeechCommands

/// What `speechcmd train` prints on standard output.
extension TrainingResult {
  /// Below this share of validation words found at the fitted operating point, `train` says how
  /// to trade false accepts for words: the network is unsure on those voices (on one tuning
  /// fold of speech-commands-dev the fit kept 0.95 and found 4.5% of the words).
  static let fewWordsFound = 0.25

  /// Human-readable result lines (stdout).
  var lines: [String] {
    var out: [String] = []
    let kept = bestEpoch.map { "epoch \($0) of \(history.count)" } ?? "none"
    out.append("model: \(output) (\(labels.count) labels; kept \(kept); \(stop.summary))")
    for split in DatasetSplit.allCases {
      guard let m = metrics[split] else { continue }
      let before = split == .validation && refitClips != nil ? " before training on it" : ""
      out.append(
        String(
          format: "%@ accuracy: %.2f%% (%d clips%@)",
          split.rawValue.padding(
            toLength: 10, withPad: " ", startingAt: 0), m.accuracy * 100, m.count, before))
    }
    if let n = refitClips {
      let fitted = [
        calibrated ? "the calibration" : nil,
        operatingPoint != nil && !operatingPointInherited ? "the operating point" : nil,
      ].compactMap { $0 }
      out.append(
        "trained again on training + validation (\(n) clips)"
          + (fitted.isEmpty
            ? "" : ", with \(fitted.joined(separator: " and ")) fitted on validation"))
    }
    // Old and new labels apart, when there are new ones (new takes of old words alone would
    // repeat the lines above).
    if let r = retraining, !r.newLabels.isEmpty {
      for split in DatasetSplit.allCases {
        let o =
          r.oldLabelAccuracy[split.rawValue].map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"
        let n =
          r.newLabelAccuracy[split.rawValue].map { String(format: "%.2f%%", $0 * 100) } ?? "n/a"
        guard metrics[split] != nil else { continue }
        out.append(
          "\(split.rawValue): old labels \(o), new labels (\(r.newLabels.joined(separator: ", "))) \(n)"
        )
      }
    }
    if let p = operatingPoint {
      var line = String(
        format: "operating point: threshold %.2f, average %d ms", p.threshold, p.averageWindowMs)
      if operatingPointInherited {
        line += " (the old model's)"
      } else if let fit = p.fit {
        line += String(
          format: " (validation streams: %.1f%% of %d words right, %.1f%% wrong, %.1f%% spurious, "
            + "%.1f%% of %d non-command words trigger)", fit.right * 100, fit.words,
          fit.wrong * 100, fit.spurious * 100, fit.falseAcceptsPerWord * 100, fit.nonCommandWords)
      }
      out.append(line)
      if !operatingPointInherited, let fit = p.fit, fit.right < Self.fewWordsFound {
        out.append(
          String(
            format: "note: at this operating point listen finds only %.1f%% of the validation "
              + "words (few false accepts first); a lower listen --threshold finds more and lets "
              + "more non-command words trigger (speechcmd bench listen measures both)",
            fit.right * 100))
      }
    }
    for note in notes { out.append("note: \(note)") }
    for f in reportFiles { out.append("report: \(f)") }
    return out
  }
}
