import Dispatch

/// Splits `0..<count` into one contiguous chunk per OpenBLAS thread (chunk starts aligned to the
/// SIMD width) and runs `body` on the chunks concurrently; small counts or one thread run inline.
///
/// For elementwise updates (optimiser steps) whose result for each element does not depend on the
/// split: the outcome is identical for any thread count.
func forEachChunk(
  count: Int, minimumPerThread: Int = 16_384, _ body: @Sendable (Range<Int>) -> Void
) {
  let workers = min(LinearAlgebra.threadCount, count / max(1, minimumPerThread))
  concurrentChunks(count: count, chunks: workers, alignment: lanes, body)
}

/// The package's one chunker: splits `0..<count` into `chunks` contiguous, disjoint ranges
/// (starts multiples of `alignment`; trailing ranges may be empty) and runs `body` on them
/// concurrently, or inline for one chunk. Callers must not depend on where the cuts fall.
package func concurrentChunks(
  count: Int, chunks: Int, alignment: Int = 1, _ body: @Sendable (Range<Int>) -> Void
) {
  guard chunks > 1 else {
    body(0..<count)
    return
  }
  let step = max(alignment, (count / chunks + alignment - 1) / alignment * alignment)
  DispatchQueue.concurrentPerform(iterations: chunks) { w in
    let start = min(count, w * step)
    let end = w == chunks - 1 ? count : min(count, start + step)
    body(start..<end)
  }
}

/// Buffers handed to `forEachChunk` workers, which touch disjoint ranges of them only.
struct SharedBuffers: @unchecked Sendable {
  let pointers: [UnsafeMutablePointer<Float>]
}
