import Foundation

/// The thread count of OpenBLAS, which runs the dense products of the network.
///
/// OpenBLAS keeps one process-wide pool; the setting affects every `MLP` in the process.
/// More threads split each product differently and change the order of floating-point sums, so
/// a product's bits depend on the count (measured: a 100×490 by 490×144 `sgemm` differs in most
/// entries between 1 and 2 threads). Training therefore holds its count for the whole run
/// (`withExactThreadCount`), so that work running beside it in the same process (a test, the
/// server's classify requests) cannot switch the count under it and change the model's bytes.
/// OpenBLAS is loaded on its first product (`OpenBLASLibrary`); a count set before that is
/// applied when it loads, so a command that sets the count but never multiplies a batch
/// (classifying one file) never loads it.
public enum LinearAlgebra {
  /// The number of threads OpenBLAS uses for one product (reading it loads OpenBLAS unless a
  /// count was set before).
  public static var threadCount: Int {
    if let count = setting.current() { return count }
    return Int(OpenBLASLibrary.shared.getThreadCount())
  }

  /// Sets the number of threads OpenBLAS uses (at least 1), once no exact hold of another count
  /// runs. The corresponding C function is `openblas_set_num_threads`.
  public static func setThreadCount(_ count: Int) {
    ThreadCountHolds.shared.set(count)
  }

  /// Runs `body` preferably with OpenBLAS on `count` threads, then restores the previous count.
  ///
  /// A preference, for work whose results don't depend on the count: while an exact hold
  /// (training) runs, the count stays the one it holds. Classification and listening ask for 1:
  /// their products (one batch of windows) are too small for OpenBLAS's threads to pay, which
  /// only spin, and the parallelism is across files.
  public static func withThreadCount<T, E: Error>(
    _ count: Int, _ body: () throws(E) -> T
  ) throws(E) -> T {
    let restore = ThreadCountHolds.shared.prefer(count)
    defer { ThreadCountHolds.shared.endPreference(restore) }
    return try body()
  }

  /// Runs `body` with OpenBLAS on exactly `count` threads for its whole duration: it waits while
  /// an exact hold of another count runs, and nothing changes the count until it ends (holds of
  /// the same count share it). Then the previous count is restored.
  public static func withExactThreadCount<T, E: Error>(
    _ count: Int, _ body: () throws(E) -> T
  ) throws(E) -> T {
    let previous = ThreadCountHolds.shared.hold(count)
    defer { ThreadCountHolds.shared.release(restoring: previous) }
    return try body()
  }

  /// Applies `count` now (or when OpenBLAS loads), with no regard for holds.
  static func apply(_ count: Int) {
    let count = max(1, min(count, 1024))
    if setting.request(count) { OpenBLASLibrary.shared.setThreadCount(Int32(count)) }
  }

  /// Puts back a count from `setting.inForce()`: nil is OpenBLAS's default.
  static func restore(_ previous: Int?) {
    if let previous {
      apply(previous)
    } else if let defaultCount = setting.forget() {
      OpenBLASLibrary.shared.setThreadCount(Int32(defaultCount))
    }
  }

  /// The count while OpenBLAS may not be loaded yet.
  static let setting = ThreadSetting()

  /// What `LinearAlgebra` knows of the thread count without loading OpenBLAS: the count last
  /// set, and whether the library is loaded (then the count is OpenBLAS's own). Thread-safe.
  final class ThreadSetting: @unchecked Sendable {
    private let lock = NSLock()
    /// The count last set through `LinearAlgebra` (nil: never, OpenBLAS's default applies).
    private var requested: Int?
    /// OpenBLAS's own count at load (its default: `OPENBLAS_NUM_THREADS` or the cores), once
    /// loaded.
    private var loadedDefault: Int?

    /// The count in force, or nil when OpenBLAS must be asked (it is loaded, or nothing was set
    /// and it will use its default).
    func current() -> Int? { lock.withLock { loadedDefault == nil ? requested : nil } }

    /// The count OpenBLAS runs on or will run on, without loading it: the count last set, else
    /// its default once loaded; nil when nothing was set and it is not loaded.
    func inForce() -> Int? { lock.withLock { requested ?? loadedDefault } }

    /// Records `count`; returns true when OpenBLAS is loaded and must be told at once.
    func request(_ count: Int) -> Bool {
      lock.withLock {
        requested = count
        return loadedDefault != nil
      }
    }

    /// Forgets the set count (back to OpenBLAS's default); returns that default when OpenBLAS is
    /// loaded and must be told.
    func forget() -> Int? {
      lock.withLock {
        requested = nil
        return loadedDefault
      }
    }

    /// Called once as OpenBLAS loads: remembers its default and applies the count set before.
    func libraryLoaded(default count: Int, apply: (Int) -> Void) {
      lock.withLock {
        loadedDefault = count
        if let requested { apply(requested) }
      }
    }
  }
}

/// `C = alpha · op(A) · op(B) + beta · C` on row-major buffers, where op(X) is X or Xᵀ.
/// `m × k` is the shape of op(A), `k × n` of op(B), `m × n` of C; `lda`, `ldb`, `ldc` are the row
/// strides of A, B and C as stored. The corresponding C function is `cblas_sgemm`.
@inline(__always)
package func sgemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
  c: UnsafeMutablePointer<Float>, ldc: Int
) {
  let blas = OpenBLASLibrary.self
  blas.shared.sgemm(
    blas.rowMajor, transposeA ? blas.transpose : blas.noTranspose,
    transposeB ? blas.transpose : blas.noTranspose, Int32(m), Int32(n), Int32(k), alpha, a,
    Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
