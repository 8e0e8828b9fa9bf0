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
  guard workers > 1 else {
    body(0..<count)
    return
  }
  let chunk = (count / workers + lanes - 1) / lanes * lanes
  DispatchQueue.concurrentPerform(iterations: workers) { w in
    let start = min(count, w * chunk)
    let end = w == workers - 1 ? count : min(count, start + chunk)
    body(start..<end)
  }
}

/// Buffers handed to `forEachChunk` workers, which touch disjoint ranges of them only.
struct SharedBuffers: @unchecked Sendable {
  let pointers: [UnsafeMutablePointer<Float>]
}
