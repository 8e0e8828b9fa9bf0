import Foundation

/// Batches of a sequence processed by several worker threads and collected in input order, with
/// at most `window` batches taken but not yet collected (bounded memory, no barrier between
/// batches). The source iterator is only touched under the lock, by one thread at a time.
final class OrderedPipeline<Element, Output>: @unchecked Sendable {
  private let condition = NSCondition()
  private var source: AnyIterator<Element>
  private let batchSize: Int
  private let window: Int
  /// The source has no more elements (or the run was cancelled).
  private var exhausted = false
  /// Index of the next batch to take from the source, and of the next to collect.
  private var nextBatch = 0
  private var nextCollected = 0
  private var finished: [Int: [Output]] = [:]
  private var activeWorkers = 0

  init(source: some IteratorProtocol<Element>, batchSize: Int, window: Int) {
    var iterator = source
    self.source = AnyIterator { iterator.next() }
    self.batchSize = max(1, batchSize)
    self.window = max(1, window)
  }

  /// The worker loop: takes batches and processes them until the source is exhausted.
  func work(_ process: ([Element]) -> [Output]) {
    condition.lock()
    activeWorkers += 1
    while true {
      while !exhausted && nextBatch - nextCollected >= window { condition.wait() }
      if exhausted { break }
      var batch: [Element] = []
      while batch.count < batchSize, let element = source.next() { batch.append(element) }
      if batch.count < batchSize { exhausted = true }
      if batch.isEmpty { break }
      let index = nextBatch
      nextBatch += 1
      condition.unlock()
      let output = process(batch)
      condition.lock()
      finished[index] = output
      condition.broadcast()
    }
    activeWorkers -= 1
    condition.broadcast()
    condition.unlock()
  }

  /// The next batch's outputs in input order, waiting for them; nil when everything is collected.
  func nextResults() -> [Output]? {
    condition.lock()
    defer { condition.unlock() }
    while true {
      if let output = finished.removeValue(forKey: nextCollected) {
        nextCollected += 1
        condition.broadcast()
        return output
      }
      // Once the source is exhausted no batch is taken any more: all taken ones are collected.
      if exhausted && nextCollected == nextBatch { return nil }
      condition.wait()
    }
  }

  /// Stops handing out batches and waits until no worker is running.
  func cancelAndWait() {
    condition.lock()
    exhausted = true
    condition.broadcast()
    while activeWorkers > 0 { condition.wait() }
    condition.unlock()
  }
}
