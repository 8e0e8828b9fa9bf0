import Foundation

/// A `Trainer.train` run on a thread of its own, beside the caller's work: the second training
/// (`RefitOnValidation`) runs while the first network trains, since it needs nothing of it
/// until both end (the first network's temperature is folded in afterwards).
///
/// On two cores the two trainings, each with OpenBLAS on one thread, keep both cores busy: one
/// training's small products leave OpenBLAS's second thread spinning most of the time
/// (README, "Training time").
///
/// The caller's closures never cross threads: the background run's events wait in a queue until
/// the caller drains them (`finish`), and Ctrl-C reaches it through `interrupt()`, which the
/// caller calls when its own `shouldStop` says so.
final class BackgroundTraining: @unchecked Sendable {
  private let condition = NSCondition()
  /// Events not yet handed to the caller (guarded by `condition`).
  private var pending: [TrainingEvent] = []
  /// The run's end (guarded by `condition`); nil while it runs.
  private var outcome: Result<TrainedNetwork, DatasetError>?
  /// Set to end the run after its current batch (guarded by `condition`).
  private var stopRequested = false

  /// Starts `trainer.train(start:)` on a new thread.
  init(trainer: Trainer, start: TrainingStart) {
    let thread = Thread { [self] in
      let result = Result { () throws(DatasetError) -> TrainedNetwork in
        try trainer.train(
          start: start, observe: { [self] event in enqueue(event) },
          shouldStop: { [self] in isStopRequested })
      }
      condition.lock()
      outcome = result
      condition.broadcast()
      condition.unlock()
    }
    // The main thread's stack size on Linux (8 MB), where training ran before it had a thread of
    // its own.
    thread.stackSize = 8 << 20
    thread.start()
  }

  /// Ends the run after its current batch (what Ctrl-C does to a training).
  func interrupt() {
    condition.lock()
    stopRequested = true
    condition.unlock()
  }

  /// Waits for the run to end, handing its events to `observe` on the caller's thread as they
  /// come (those queued before the call first, without their per-batch progress, which has
  /// long passed). `shouldStop` is polled every 50 ms; when true the run is interrupted.
  func finish(
    observe: (TrainingEvent) -> Void, shouldStop: () -> Bool
  ) throws(DatasetError) -> TrainedNetwork {
    var backlog = true
    while true {
      condition.lock()
      if pending.isEmpty && outcome == nil {
        _ = condition.wait(until: Date().addingTimeInterval(0.05))
      }
      let events = pending
      pending.removeAll()
      let ended = outcome
      condition.unlock()
      for event in events {
        if backlog, case .batch = event { continue }
        observe(event)
      }
      backlog = false
      if let ended { return try ended.get() }
      if shouldStop() { interrupt() }
    }
  }

  /// Interrupts the run and waits for it to end, its result unused (the first training failed
  /// or was interrupted, so the second one has nothing to replace).
  func abandon() {
    interrupt()
    condition.lock()
    while outcome == nil { condition.wait() }
    condition.unlock()
  }

  private var isStopRequested: Bool {
    condition.lock()
    defer { condition.unlock() }
    return stopRequested
  }

  private func enqueue(_ event: TrainingEvent) {
    condition.lock()
    pending.append(event)
    condition.signal()
    condition.unlock()
  }
}
