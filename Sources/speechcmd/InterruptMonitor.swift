import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns Ctrl-C (SIGINT) into a flag the training loop polls between batches, so the best model
/// so far can be saved before exiting with status 130. A second Ctrl-C exits at once (130,
/// nothing saved).
///
/// Uses a `DispatchSourceSignal` (the handler runs on a dispatch queue, not in signal context).
final class InterruptMonitor: @unchecked Sendable {
  private let lock = NSLock()
  private var count = 0
  private var source: DispatchSourceSignal?

  init() {}

  /// Whether Ctrl-C has been pressed (or `interrupt()` called).
  var isInterrupted: Bool {
    lock.lock()
    defer { lock.unlock() }
    return count > 0
  }

  /// Starts catching SIGINT (the default action, terminating the process, is suspended).
  func install() {
    guard source == nil else { return }
    signal(SIGINT, SIG_IGN)
    let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    s.setEventHandler { [weak self] in self?.interrupt() }
    s.resume()
    source = s
  }

  /// Restores SIGINT's default action.
  func uninstall() {
    source?.cancel()
    source = nil
    signal(SIGINT, SIG_DFL)
  }

  /// Records an interrupt, as SIGINT does; the second one exits the process with status 130.
  func interrupt() {
    lock.lock()
    count += 1
    let again = count > 1
    lock.unlock()
    if again {
      let message = "\nspeechcmd: interrupted again; exiting without saving\n"
      _ = message.withCString { write(2, $0, strlen($0)) }
      _exit(130)
    }
    let message = "\nspeechcmd: interrupted; saving the best model so far (Ctrl-C again to quit)\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
  }

  deinit { source?.cancel() }
}
