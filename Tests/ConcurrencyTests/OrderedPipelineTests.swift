import Dispatch
import Foundation
import Testing

@testable import SpeechCommands

/// `OrderedPipeline` under contention: many workers, tiny batches, uneven work. Run under
/// ThreadSanitizer by `scripts/test.sh` (see `scripts/sanitize.sh`).
@Suite struct OrderedPipelineTests {
  /// Counts the `process` calls running at once and the most seen.
  final class Gauge: @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var most = 0
    private(set) var calls = 0

    func enter() {
      lock.withLock {
        running += 1
        calls += 1
        most = max(most, running)
      }
    }
    func leave() { lock.withLock { running -= 1 } }
    var current: Int { lock.withLock { running } }
  }

  /// Starts `workers` threads on `pipeline`, each processing with `transform` after a delay that
  /// depends on the batch (so later batches often finish first); returns their group.
  func start(
    _ pipeline: OrderedPipeline<Int, Int>, workers: Int, gauge: Gauge,
    transform: @escaping @Sendable (Int) -> Int
  ) -> DispatchGroup {
    let group = DispatchGroup()
    for _ in 0..<workers {
      DispatchQueue.global().async(group: group) {
        pipeline.work { batch in
          gauge.enter()
          defer { gauge.leave() }
          usleep(UInt32(50 * ((batch[0] * 7919) % 13)))
          return batch.map(transform)
        }
      }
    }
    return group
  }

  @Test(arguments: [(workers: 4, batch: 1, window: 2), (workers: 3, batch: 5, window: 8)])
  func resultsComeBackInInputOrder(workers: Int, batch: Int, window: Int) {
    let input = Array(0..<300)
    let pipeline = OrderedPipeline<Int, Int>(
      source: input.makeIterator(), batchSize: batch, window: window)
    let gauge = Gauge()
    let group = start(pipeline, workers: workers, gauge: gauge) { $0 * $0 + 1 }
    var output: [Int] = []
    while let results = pipeline.nextResults() { output += results }
    group.wait()
    #expect(output == input.map { $0 * $0 + 1 })
    #expect(gauge.calls == (input.count + batch - 1) / batch)
    #expect(gauge.most <= min(workers, window))
  }

  @Test func cancellingStopsTheWorkersAndWaitsForThem() {
    let pipeline = OrderedPipeline<Int, Int>(
      source: (0..<10_000).makeIterator(), batchSize: 2, window: 4)
    let gauge = Gauge()
    let group = start(pipeline, workers: 4, gauge: gauge) { $0 }
    var collected: [Int] = []
    for _ in 0..<3 { collected += pipeline.nextResults() ?? [] }
    pipeline.cancelAndWait()
    #expect(gauge.current == 0)
    #expect(group.wait(timeout: .now() + 60) == .success)
    #expect(collected == Array(0..<6))
    // At most `window` batches are taken beyond those collected, whatever the thread timing.
    #expect(gauge.calls <= 3 + 4)
  }

  @Test func anEmptySourceEndsAtOnce() {
    let pipeline = OrderedPipeline<Int, Int>(
      source: [Int]().makeIterator(), batchSize: 4, window: 2)
    let group = start(pipeline, workers: 2, gauge: Gauge()) { $0 }
    #expect(pipeline.nextResults() == nil)
    group.wait()
  }
}

@Suite struct ParallelTests {
  @Test func mapEqualsASerialMap() {
    let input = Array(0..<1000)
    #expect(
      Parallel.map(input) { $0 &* 2_654_435_761 % 1000 }
        == input.map {
          $0 &* 2_654_435_761 % 1000
        })
    #expect(Parallel.map([Int]()) { $0 }.isEmpty)
  }

  @Test func fillRowsWritesEveryRowOnce() {
    let rows = 517, cols = 13
    let values = Parallel.fillRows(rows: rows, cols: cols) { r, destination in
      for c in 0..<cols { destination[c] += Float(r * cols + c) }
    }
    #expect(values == (0..<rows * cols).map(Float.init))
  }
}
