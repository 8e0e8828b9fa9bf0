/// The thread count of OpenBLAS, which runs every dense product of the network.
///
/// OpenBLAS keeps one process-wide pool; the setting affects every `MLP` in the process.
/// Single-threaded runs (1) are bit-for-bit reproducible; more threads split each product and
/// may change the order of floating-point sums. OpenBLAS is loaded on first use
/// (`OpenBLASLibrary`), so asking for the count loads it.
public enum LinearAlgebra {
  /// The number of threads OpenBLAS uses for one product.
  public static var threadCount: Int { Int(OpenBLASLibrary.shared.getThreadCount()) }

  /// Sets the number of threads OpenBLAS uses (at least 1).
  /// The corresponding C function is `openblas_set_num_threads`.
  public static func setThreadCount(_ count: Int) {
    OpenBLASLibrary.shared.setThreadCount(Int32(max(1, min(count, 1024))))
  }

  /// Runs `body` with OpenBLAS on `count` threads, then restores the previous count.
  ///
  /// Classification and listening run with 1: their products (one batch of windows) are too
  /// small for OpenBLAS's threads to pay, which only spin, and the parallelism is across files.
  public static func withThreadCount<T, E: Error>(
    _ count: Int, _ body: () throws(E) -> T
  ) throws(E) -> T {
    let previous = threadCount
    setThreadCount(count)
    defer { setThreadCount(previous) }
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
