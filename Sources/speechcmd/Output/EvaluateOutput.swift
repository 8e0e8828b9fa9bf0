import Foundation
import SpeechCommands

/// What `speechcmd evaluate` prints.
extension EvaluationResult {
  /// Pretty JSON with sorted keys.
  func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
  }

  /// A plain-text table: accuracy, per-class precision/recall/F1/support, confusion matrix.
  func text() -> String {
    let (accuracy, count, macroF1) = (report.accuracy, report.count, report.macroF1)
    let (labels, classes, confusion) = (report.labels, report.classes, report.confusion)
    var s = String(
      format: "%@ on %@ (%@ split): accuracy %.2f%% of %d clips, macro F1 %.3f\n", model, data,
      split, accuracy * 100, count, macroF1)
    if count < listed {
      s += "(\(count) of the \(listed) clips listed, split as training split its data; "
        + "--split all scores every clip)\n"
    }
    s += "\n"
    let width = max(8, (labels.map(\.count).max() ?? 0) + 2)
    func pad(_ t: String, _ w: Int) -> String {
      t.count >= w ? t : String(repeating: " ", count: w - t.count) + t
    }
    func left(_ t: String) -> String { t.padding(toLength: width, withPad: " ", startingAt: 0) }
    s +=
      left("label") + pad("precision", 10) + pad("recall", 8) + pad("F1", 8) + pad("clips", 7)
      + "\n"
    for c in classes {
      s +=
        left(c.label) + pad(String(format: "%.3f", c.precision), 10)
        + pad(String(format: "%.3f", c.recall), 8) + pad(String(format: "%.3f", c.f1), 8)
        + pad("\(c.support)", 7) + "\n"
    }
    s += "\nconfusion (rows: true, columns: predicted)\n"
    let cell = max(5, (confusion.flatMap { $0 }.max().map { "\($0)".count } ?? 1) + 1)
    s += left("") + labels.indices.map { pad("\($0)", cell) }.joined() + "\n"
    for (i, row) in confusion.enumerated() {
      s += left("\(i) \(labels[i])") + row.map { pad("\($0)", cell) }.joined() + "\n"
    }
    return s
  }
}
