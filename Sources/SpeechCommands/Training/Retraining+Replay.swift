import Foundation
import SpeechModel

/// Replay of the old model's memory (`ReplayMemory`) when retraining without the old data: the
/// old words' own rows come back every epoch, with their hard labels and the old model's
/// probabilities as soft targets, so the new words cannot take over where the old words are.
extension Retraining {
  /// Memory rows of each class 0..<classes in the replay memory (0 without one).
  func replayCounts(classes: Int) -> [Int] {
    guard let replay else { return [Int](repeating: 0, count: classes) }
    return replay.rowsByLabel(classes: classes).map(\.count)
  }

  /// Rows per epoch of each class's memory rows, given `counts[c]` training clips of class c:
  /// a class with memory rows gets at least `rowTarget`, as clips do, so an old word kept by
  /// 16 rows weighs as much as a new word of 15 takes.
  func memoryRows(_ counts: [Int]) -> [Int] {
    let target = rowTarget(counts)
    return replayCounts(classes: counts.count).map { $0 > 0 ? max($0, target) : 0 }
  }

  /// One epoch's memory rows (normalised features) and their classes: each class's rows
  /// repeated in a fresh seeded order up to its `memoryRows`, every copy moved by Gaussian
  /// jitter of standard deviation `options.memoryJitter` (standardised feature units) so the
  /// network learns the neighbourhood of each kept row, not the row alone.
  func replayRows(
    counts: [Int], using rng: inout SeededGenerator
  ) -> (values: [Float], labels: [Int]) {
    guard let replay else { return ([], []) }
    let byLabel = replay.rowsByLabel(classes: counts.count)
    var values: [Float] = []
    var labels: [Int] = []
    let sigma = Double(options.memoryJitter)
    for (c, wanted) in memoryRows(counts).enumerated() where wanted > 0 {
      var picks: [Int] = []
      while picks.count < wanted {
        picks += byLabel[c].shuffled(using: &rng).prefix(wanted - picks.count)
      }
      for r in picks {
        let row = replay.row(r)
        values += sigma > 0 ? row.map { $0 + Float(sigma * rng.nextStandardNormal()) } : Array(row)
      }
      labels += [Int](repeating: c, count: wanted)
    }
    return (values, labels)
  }
}
