import Foundation
import SpeechCommands

/// What `speechcmd info MODEL.safetensors` prints.
extension ModelCard {
  /// The card as readable lines (standard output); text from the file is made printable.
  var lines: [String] { rawLines.map(TextEscaping.printable) }

  private var rawLines: [String] {
    func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
    let size = fileBytes.map { " (\(String(format: "%.1f", Double($0) / 1024)) KB)" } ?? ""
    var out = ["model: \(path)\(size)"]
    out.append("labels (\(labels.count)): \(labels.joined(separator: " "))")
    let f = frontEnd
    let focus = f.focusSeconds.map { ", centred on the loudest \(Self.seconds($0)) s" } ?? ""
    out.append(
      "front end: \(f.preset ?? "custom") MFCC, \(f.sampleRate) Hz, \(f.melBands) mel bands over "
        + "\(f.melRange.map { String(Int($0.rounded())) }.joined(separator: "–")) Hz, "
        + "\(Self.seconds(f.clipSeconds)) s clips\(focus); \(f.frames) frames × "
        + "\(f.coefficientsPerFrame) values (deltas \(f.deltas), normalisation \(f.normalization))"
        + " = \(f.inputSize) inputs" + Self.views(f.viewShifts))
    let n = network
    let denseInput = n.convolutionOutput ?? n.input
    let widths = ([denseInput] + n.hidden + [n.output]).map(String.init).joined(separator: " → ")
    let kind =
      n.convolution.map {
        "convolutions \($0) over the frames (\(n.input) → \(denseInput)), then MLP"
      }
      ?? "MLP"
    out.append(
      "network: \(kind) \(widths), \(n.activation), dropout \(n.dropout); \(n.parameters) parameters"
    )
    out.append(
      "loss: \(loss == "bce" ? "bce (one-vs-rest sigmoid)" : "ce (softmax cross-entropy)")"
        + (logitScale.map {
          String(format: "; calibrated (logit scale %.4f", $0)
            + (calibrationInherited ? ", the old model's)" : ")")
        } ?? "; not calibrated"))
    var trained = data.sources.isEmpty ? "unknown data" : data.sources.joined(separator: ", ")
    let clips = ["train", "validation", "test"].compactMap { split in
      data.clips[split].map { "\(split) \($0)" }
    }
    if !clips.isEmpty { trained += "; clips: " + clips.joined(separator: ", ") }
    if let words = data.words { trained += "; words: " + words.joined(separator: ",") }
    out.append("training data: \(trained)")
    var run: [String] = []
    if let epochs = data.epochs {
      run.append("\(epochs) epochs" + (data.bestEpoch.map { ", kept \($0)" } ?? ""))
    }
    if let stop = data.stop { run.append(stop) }
    if let seed = data.seed { run.append("seed \(seed)") }
    if let date = data.date { run.append(date) }
    if let from = data.from { run.append("retrained from \(from)") }
    if let n = data.refitClips {
      run.append("then trained again on training + validation (\(n) clips)")
    }
    if !run.isEmpty { out.append("training run: " + run.joined(separator: "; ")) }
    let accuracies = ["validation", "test", "train"].compactMap { split in
      accuracy[split].map {
        "\(split) \(percent($0))"
          + (split == "validation" && data.refitClips != nil ? " (before training on it)" : "")
      }
    }
    out.append(
      "accuracy: " + (accuracies.isEmpty ? "not recorded" : accuracies.joined(separator: ", ")))
    if let p = operatingPoint {
      var line =
        "operating point: threshold \(p.threshold), average \(p.averageWindowMs) ms, "
        + "suppression \(p.suppressionMs) ms, minimum count \(p.minimumCount)"
      if operatingPointInherited {
        line += "; the old model's (none could be fitted when retraining)"
      } else if let fit = p.fit {
        line +=
          "; on validation streams \(percent(fit.right)) of \(fit.words) words right, "
          + "\(percent(fit.wrong)) wrong, \(percent(fit.spurious)) spurious, "
          + "\(percent(fit.falseAcceptsPerWord)) of \(fit.nonCommandWords) non-command words "
          + "trigger"
      }
      out.append(line)
    } else {
      out.append(
        "operating point: none stored (listen uses its defaults)"
          + (threshold.map { "; classify threshold \($0)" } ?? ""))
    }
    if let m = memory {
      let counts = Set(m.rowsPerLabel.values)
      let spread =
        counts.count == 1
        ? "\(counts.first!) rows per label"
        : labels.compactMap { l in m.rowsPerLabel[l].map { "\(l) \($0)" } }.joined(
          separator: ", ")
      out.append(
        "replay memory: \(m.rows) rows (\(spread)); \(String(format: "%.1f", Double(m.bytes) / 1024))"
          + " KB of features of training clips, no audio")
    }
    return out
  }

  /// "; 5 views averaged (shifts -80, -40, 0, 40, 80 ms)", or nothing for the clip alone.
  private static func views(_ shifts: [Double]) -> String {
    guard shifts.count > 1 else { return "" }
    let ms = shifts.map { String(Int(($0 * 1000).rounded())) }.joined(separator: ", ")
    return "; \(shifts.count) views averaged (shifts \(ms) ms)"
  }

  /// Seconds without a trailing ".0" for whole values ("1", "0.5").
  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
  }
}
