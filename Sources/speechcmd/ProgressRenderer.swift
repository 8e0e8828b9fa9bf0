import SpeechCommands
import Foundation

/// Turns `TrainingEvent`s into text for standard error: a live, redrawn bar on a terminal, plain
/// lines (one per epoch) otherwise.
struct ProgressRenderer {
  /// Whether standard error is a terminal (a redrawn bar) or not (lines only).
  var isTerminal: Bool
  /// Terminal width used for the bar.
  var width: Int
  /// Fewest seconds between redraws of the bar. Default 0.1.
  var redrawInterval: TimeInterval = 0.1
  private var lastDraw = Date.distantPast
  private var epochs = 0

  init(isTerminal: Bool, width: Int = 100) {
    self.isTerminal = isTerminal
    self.width = max(60, width)
  }

  /// The text to write for `event` (nil: nothing). Terminal text starts with a carriage return
  /// and clear-line so the bar redraws in place.
  mutating func render(_ event: TrainingEvent) -> String? {
    let clear = isTerminal ? "\r\u{1B}[K" : ""
    switch event {
    case .status(let s):
      return clear + s + "\n"
    case .started(let train, let validation, let e, let batches):
      epochs = e
      return clear
        + "training on \(train) clips (validation \(validation)), up to \(e) epochs of \(batches) batches\n"
    case .batch(let p):
      guard isTerminal else { return nil }
      let now = Date()
      guard p.batch == p.batches || now.timeIntervalSince(lastDraw) >= redrawInterval else {
        return nil
      }
      lastDraw = now
      return clear + Self.bar(p, width: width)
    case .epoch(let r, let improved):
      return clear + Self.epochLine(r, epochs: epochs, improved: improved) + "\n"
    case .finished(let stop, let best):
      return clear + "stopped: \(stop.summary); keeping epoch \(best.map(String.init) ?? "none")\n"
    }
  }

  /// `epoch 3/60 [#######.......] 12/43 loss 0.512 acc 84.1% 52.3k samples/s ETA 1:20`
  static func bar(_ p: BatchProgress, width: Int) -> String {
    let head = "epoch \(p.epoch)/\(p.epochs) "
    let tail = String(
      format: " %d/%d loss %.3f acc %.1f%% %@ samples/s ETA %@", p.batch, p.batches, p.loss,
      p.accuracy * 100, compact(p.samplesPerSecond), duration(p.etaSeconds))
    let room = max(10, width - head.count - tail.count - 3)
    let filled = Int(Double(room) * Double(p.batch) / Double(max(1, p.batches)))
    return head + "[" + String(repeating: "#", count: filled)
      + String(repeating: ".", count: room - filled) + "]" + tail
  }

  /// `epoch 3/60 loss 0.512 acc 84.1% | val loss 0.601 acc 80.2% * | 1.2 s`
  static func epochLine(_ r: EpochRecord, epochs: Int, improved: Bool) -> String {
    var s = String(
      format: "epoch %d/%d loss %.4f acc %.2f%%", r.epoch, epochs, r.trainLoss,
      r.trainAccuracy * 100)
    if let vl = r.validationLoss, let va = r.validationAccuracy {
      s += String(format: " | val loss %.4f acc %.2f%%", vl, va * 100)
    }
    s += improved ? " *" : ""
    s += String(
      format: " | lr %.2g | %.1f s | %@ samples/s", r.learningRate, r.seconds,
      compact(r.samplesPerSecond))
    return s
  }

  /// 1234 → "1.2k", 56789 → "56.8k".
  static func compact(_ v: Double) -> String {
    v >= 1e6
      ? String(format: "%.1fM", v / 1e6)
      : v >= 1e3
        ? String(format: "%.1fk", v / 1e3)
        : String(format: "%.0f", v)
  }

  /// Seconds as m:ss or h:mm:ss.
  static func duration(_ s: Double) -> String {
    guard s.isFinite, s >= 0 else { return "?" }
    let t = Int(s.rounded())
    return t >= 3600
      ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
      : String(format: "%d:%02d", t / 60, t % 60)
  }
}
