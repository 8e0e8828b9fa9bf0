import Foundation

/// Who may set OpenBLAS's process-wide thread count, and when (see `LinearAlgebra`).
///
/// Exact holds (training) fix the count: holds of the same count share it, another count waits
/// until they end. Preferences and plain sets never change the count while an exact hold runs:
/// a preference then runs with the held count, a plain set waits.
final class ThreadCountHolds: @unchecked Sendable {
  static let shared = ThreadCountHolds()

  /// OpenBLAS's count at load (cores or `OPENBLAS_NUM_THREADS`).
  let machineCount: Int
  private let condition = NSCondition()
  /// The count the running exact holds fix, and how many run (guarded by `condition`).
  private var heldCount = 0
  private var holders = 0

  private init() {
    machineCount = Int(OpenBLASLibrary.shared.getThreadCount())
  }

  private var current: Int { Int(OpenBLASLibrary.shared.getThreadCount()) }

  private func apply(_ count: Int) {
    OpenBLASLibrary.shared.setThreadCount(Int32(max(1, min(count, 1024))))
  }

  /// Waits until no exact hold of another count runs (caller holds `condition`).
  private func waitForOtherHolds(_ count: Int) {
    while holders > 0 && heldCount != count { condition.wait() }
  }

  /// Starts an exact hold of `count`; returns the count to restore when it ends.
  func hold(_ count: Int) -> Int {
    condition.lock()
    defer { condition.unlock() }
    waitForOtherHolds(count)
    let previous = current
    if holders == 0 {
      heldCount = count
      apply(count)
    }
    holders += 1
    return previous
  }

  /// Ends an exact hold; the last one restores `previous` and wakes waiting holds.
  func release(restoring previous: Int) {
    condition.lock()
    defer { condition.unlock() }
    holders -= 1
    if holders == 0 {
      apply(previous)
      condition.broadcast()
    }
  }

  /// Applies `count` unless an exact hold runs; returns the count to restore afterwards.
  func prefer(_ count: Int) -> Int {
    condition.lock()
    defer { condition.unlock() }
    let previous = current
    if holders == 0 { apply(count) }
    return previous
  }

  /// Restores `previous` after a preference, unless an exact hold now runs.
  func endPreference(restoring previous: Int) {
    condition.lock()
    defer { condition.unlock() }
    if holders == 0 { apply(previous) }
  }

  /// Sets `count` once no exact hold of another count runs.
  func set(_ count: Int) {
    condition.lock()
    defer { condition.unlock() }
    waitForOtherHolds(count)
    apply(count)
  }
}
