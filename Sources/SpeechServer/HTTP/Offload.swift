import Dispatch

/// Runs CPU-heavy work (decoding, features, the network) on Dispatch's global pool, so it never
/// occupies the few cooperative threads the server's sockets run on.
func offload<T: Sendable>(_ work: @escaping @Sendable () throws(APIError) -> T)
  async throws(APIError)
  -> T
{
  let result: Result<T, APIError> = await withCheckedContinuation { continuation in
    DispatchQueue.global().async {
      continuation.resume(returning: Result { () throws(APIError) -> T in try work() })
    }
  }
  return try result.get()
}
