import Foundation
import SpeechModel

/// Chooses which rows a model keeps as its `ReplayMemory`: per label, `rowsPerLabel` of the
/// candidates (the old model's memory, then this run's un-augmented training clips).
enum MemorySelection {
  /// The memory of up to `rowsPerLabel` rows per class 0..<classes chosen by iCaRL's herding
  /// (Rebuffi et al. 2017) among `candidates` (rows × inputs, normalised) with `labels`: greedily
  /// the row that brings the mean of the chosen rows closest to the mean of all the label's
  /// candidates, so a few rows stand for the label (on the validation speakers it learned more
  /// new words than a seeded random choice or the rows nearest the mean; README). nil if
  /// `rowsPerLabel` is 0 or there are no candidates. Deterministic, ties to the lower row; a
  /// label with no more candidates than `rowsPerLabel` keeps them all. Rows are stored label by
  /// label, in the order chosen.
  ///
  /// Cost: O(rowsPerLabel × candidates × inputs) per label.
  static func select(
    _ candidates: Matrix, labels: [Int], classes: Int, rowsPerLabel: Int
  ) -> ReplayMemory? {
    guard rowsPerLabel > 0, candidates.rows > 0 else { return nil }
    let d = candidates.cols
    var byLabel = [[Int]](repeating: [], count: classes)
    for (r, label) in labels.enumerated() { byLabel[label].append(r) }
    var features: [Float] = []
    var kept: [Int] = []
    for (label, rows) in byLabel.enumerated() where !rows.isEmpty {
      let chosen =
        rows.count <= rowsPerLabel
        ? rows : herding(candidates, rows: rows, count: rowsPerLabel)
      for r in chosen { features += candidates.values[(r * d)..<((r + 1) * d)] }
      kept += [Int](repeating: label, count: chosen.count)
    }
    return ReplayMemory(inputs: d, features: features, labels: kept)
  }

  /// The mean of `rows` of `x`.
  private static func mean(_ x: Matrix, rows: [Int]) -> [Double] {
    var m = [Double](repeating: 0, count: x.cols)
    for r in rows {
      for c in 0..<x.cols { m[c] += Double(x.values[r * x.cols + c]) }
    }
    return m.map { $0 / Double(rows.count) }
  }

  /// iCaRL's herding (Rebuffi et al. 2017, algorithm 4): step k picks the unchosen row x that
  /// minimises ‖μ − (s + x)/k‖, s the sum of the rows chosen so far.
  private static func herding(_ x: Matrix, rows: [Int], count: Int) -> [Int] {
    let d = x.cols
    let mu = mean(x, rows: rows)
    var sum = [Double](repeating: 0, count: d)
    var chosen: [Int] = []
    var left = rows
    for k in 1...count {
      var best = 0
      var bestDistance = Double.infinity
      for (i, r) in left.enumerated() {
        var distance = 0.0
        for c in 0..<d {
          let e = mu[c] - (sum[c] + Double(x.values[r * d + c])) / Double(k)
          distance += e * e
        }
        if distance < bestDistance { (best, bestDistance) = (i, distance) }
      }
      let r = left.remove(at: best)
      for c in 0..<d { sum[c] += Double(x.values[r * d + c]) }
      chosen.append(r)
    }
    return chosen
  }
}
