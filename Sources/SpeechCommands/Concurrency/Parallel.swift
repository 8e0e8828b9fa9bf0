import Dispatch
import Foundation
import SpeechModel

/// Ordered parallel map on all cores.
///
/// `transform` runs for each element on `DispatchQueue.concurrentPerform`'s worker threads in
/// chunks; results come back in input order, so the output equals a serial `map` whenever
/// `transform` is a pure function of its input (as feature extraction is).
enum Parallel {
  /// Number of worker threads used (the active processor count).
  static var workers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  static func map<T: Sendable, R: Sendable>(
    _ input: [T], _ transform: @Sendable (T) -> R
  ) -> [R] {
    let n = input.count
    if n == 0 { return [] }
    let results = ResultBuffer<R>(count: n)
    concurrentChunks(count: n, chunks: min(n, workers * 4)) { range in
      for i in range { results.set(i, transform(input[i])) }
    }
    return results.values()
  }

  /// Fills a row-major `rows × cols` buffer in parallel, `fill(row, destination)` writing row
  /// `row` into its `cols` slots. Deterministic: each row is written by exactly one call.
  static func fillRows(
    rows: Int, cols: Int, _ fill: @Sendable (Int, UnsafeMutableBufferPointer<Float>) -> Void
  ) -> [Float] {
    var out = [Float](repeating: 0, count: rows * cols)
    if rows == 0 || cols == 0 { return out }
    out.withUnsafeMutableBufferPointer { buffer in
      let base = SendablePointer(pointer: buffer.baseAddress!)
      concurrentChunks(count: rows, chunks: min(rows, workers * 4)) { range in
        for r in range {
          fill(r, UnsafeMutableBufferPointer(start: base.pointer + r * cols, count: cols))
        }
      }
    }
    return out
  }
}

/// A raw pointer handed to worker threads that write disjoint ranges of it.
private struct SendablePointer: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<Float>
}

/// Slots written once each from different threads (disjoint indices), read after all finish.
private final class ResultBuffer<R>: @unchecked Sendable {
  private var storage: [R?]
  private let lock = NSLock()

  init(count: Int) { storage = Array(repeating: nil, count: count) }

  func set(_ i: Int, _ value: R) {
    lock.lock()
    storage[i] = value
    lock.unlock()
  }

  func values() -> [R] { storage.map { $0! } }
}
