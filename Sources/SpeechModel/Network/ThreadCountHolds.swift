import Foundation

/// Who may set OpenBLAS's process-wide thread count, and when (see `LinearAlgebra`).
///
/// Exact holds (training) fix the count: holds of the same count share it, another count waits
/// until they end. Preferences never change the count while an exact hold runs (they run with
/// the held count); plain sets wait for the holds of other counts to end.
final class ThreadCountHolds: @unchecked Sendable {
  static let shared = ThreadCountHolds()

  private let condition = NSCondition()
  /// The count the running exact holds fix, and how many run (guarded by `condition`).
  private var heldCount = 0
  private var holders = 0

  /// What ends a preference: nothing (it changed nothing) or putting back the count before it.
  enum Restore {
    case nothing
    case previous(Int?)
  }

  /// Waits until no exact hold of another count runs (caller holds `condition`).
  private func waitForOtherHolds(_ count: Int) {
    while holders > 0 && heldCount != count { condition.wait() }
  }

  /// Starts an exact hold of `count`; returns the count to restore when it ends.
  func hold(_ count: Int) -> Int? {
    condition.lock()
    defer { condition.unlock() }
    waitForOtherHolds(count)
    let previous = LinearAlgebra.setting.inForce()
    if holders == 0 {
      heldCount = count
      LinearAlgebra.apply(count)
    }
    holders += 1
    return previous
  }

  /// Ends an exact hold; the last one restores `previous` and wakes waiting holds and sets.
  func release(restoring previous: Int?) {
    condition.lock()
    defer { condition.unlock() }
    holders -= 1
    if holders == 0 {
      LinearAlgebra.restore(previous)
      condition.broadcast()
    }
  }

  /// Applies `count` unless an exact hold runs.
  func prefer(_ count: Int) -> Restore {
    condition.lock()
    defer { condition.unlock() }
    guard holders == 0 else { return .nothing }
    let previous = LinearAlgebra.setting.inForce()
    LinearAlgebra.apply(count)
    return .previous(previous)
  }

  /// Ends a preference: puts back the count before it, unless an exact hold now runs.
  func endPreference(_ restore: Restore) {
    condition.lock()
    defer { condition.unlock() }
    if holders == 0, case .previous(let previous) = restore { LinearAlgebra.restore(previous) }
  }

  /// Sets `count` once no exact hold of another count runs.
  func set(_ count: Int) {
    condition.lock()
    defer { condition.unlock() }
    waitForOtherHolds(count)
    LinearAlgebra.apply(count)
  }
}
