import Dispatch

/// Runs CPU-heavy work (decoding, features, the network) on Dispatch's global pool, so it never
/// occupies the few cooperative threads the server's sockets run on.
func offload<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T)
  async throws(E)
  -> T
{
  let result: Result<T, E> = await withCheckedContinuation { continuation in
    DispatchQueue.global().async {
      continuation.resume(returning: Result { () throws(E) -> T in try work() })
    }
  }
  return try result.get()
}
