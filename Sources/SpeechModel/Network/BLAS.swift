/// The thread count of OpenBLAS, which runs every dense product of the network.
///
/// OpenBLAS keeps one process-wide pool; the setting affects every `MLP` in the process.
/// More threads split each product differently and change the order of floating-point sums, so
/// a product's bits depend on the count (measured: a 100×490 by 490×144 `sgemm` differs in most
/// entries between 1 and 2 threads). Training therefore holds its count for the whole run
/// (`withExactThreadCount`), so that work running beside it in the same process (a test, the
/// server's classify requests) cannot switch the count under it and change the model's bytes.
/// OpenBLAS is loaded on first use (`OpenBLASLibrary`), so asking for the count loads it.
public enum LinearAlgebra {
  /// The number of threads OpenBLAS uses for one product.
  public static var threadCount: Int { Int(OpenBLASLibrary.shared.getThreadCount()) }

  /// OpenBLAS's own count when it was loaded: the machine's cores, or `OPENBLAS_NUM_THREADS`.
  /// Training runs on it, so `train` gives the same bytes whatever ran before it in the process.
  public static var machineThreadCount: Int { ThreadCountHolds.shared.machineCount }

  /// Sets the number of threads OpenBLAS uses (at least 1), once no exact hold of another count
  /// is running. The corresponding C function is `openblas_set_num_threads`.
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
    let previous = ThreadCountHolds.shared.prefer(count)
    defer { ThreadCountHolds.shared.endPreference(restoring: previous) }
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

/// `y = A · x` for a row-major `m × n` matrix A of row stride `lda`.
/// The corresponding C function is `cblas_sgemv`.
@inline(__always)
func sgemv(
  m: Int, n: Int, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>,
  y: UnsafeMutablePointer<Float>
) {
  let blas = OpenBLASLibrary.self
  blas.shared.sgemv(
    blas.rowMajor, blas.noTranspose, Int32(m), Int32(n), 1, a, Int32(lda), x, 1, 0, y, 1)
}
