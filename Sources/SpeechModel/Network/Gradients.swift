/// d(loss)/d(parameter) for every weight and bias of an `MLP`, in the network's flat
/// `parameters` layout (per layer: weight outputs × inputs, then bias).
public struct Gradients: Sendable, Equatable {
  /// One value per parameter, same order as `MLP.parameters`.
  public var values: [Float]

  /// Gradients over `values` (in the `MLP.parameters` layout).
  public init(values: [Float]) { self.values = values }

  /// All-zero gradients for `model`.
  public init(zerosFor model: MLP) { values = [Float](repeating: 0, count: model.parameterCount) }

  /// The Euclidean norm of all gradients together (accumulated in `Double`).
  public var globalNorm: Double {
    values.withUnsafeBufferPointer { g in
      var sum: Double = 0
      var i = 0
      // Blocks of Float sums keep the loop vectorised while Double carries the total.
      while i < g.count {
        let end = min(i + 1024, g.count)
        var block: Float = 0
        for j in i..<end { block += g[j] * g[j] }
        sum += Double(block)
        i = end
      }
      return sum.squareRoot()
    }
  }

  /// Clips by global norm as `torch.nn.utils.clip_grad_norm_` does: scales every gradient by
  /// `min(1, maxNorm / (norm + 1e-6))`. Returns the norm before
  /// clipping (useful to log; NaN or infinite norms are left as they are and returned).
  @discardableResult
  public mutating func clipGlobalNorm(_ maxNorm: Float) -> Double {
    let norm = globalNorm
    let coefficient = Double(maxNorm) / (norm + 1e-6)
    guard norm.isFinite, coefficient < 1 else { return norm }
    let scale = Float(coefficient)
    values.withUnsafeMutableBufferPointer { g in
      for i in g.indices { g[i] *= scale }
    }
    return norm
  }
}
