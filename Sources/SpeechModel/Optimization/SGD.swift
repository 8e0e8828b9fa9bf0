/// Stochastic gradient descent with optional momentum and Nesterov momentum, as `torch.optim.SGD`
/// (dampening 0):
///
///     g ← g + λ·θ
///     b ← g (first step), else μ·b + g
///     g ← g + μ·b (Nesterov), else b
///     θ ← θ − η·g
public struct SGD: Optimizer, Sendable {
  /// μ, the momentum. Default 0 (plain SGD).
  public var momentum: Float
  /// Nesterov momentum (needs `momentum > 0`). Default false.
  public var nesterov: Bool
  /// λ, L2 weight decay added to the gradient. Default 0.
  public var weightDecay: Float
  private var velocity: [Float] = []
  private var started = false

  /// SGD with PyTorch's defaults for every option not given.
  public init(momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
    precondition(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0")
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
  }

  public mutating func step(_ model: inout MLP, _ g: Gradients, learningRate: Float) {
    if prepareState(&velocity, for: model, g) { started = false }
    let (mu, lambda, lr, first, nesterov) = (
      momentum, weightDecay, learningRate, !started, nesterov
    )
    model.parameters.withUnsafeMutableBufferPointer { p in
      g.values.withUnsafeBufferPointer { g in
        velocity.withUnsafeMutableBufferPointer { b in
          if mu == 0 {
            for i in 0..<p.count { p[i] -= lr * (g[i] + lambda * p[i]) }
            return
          }
          for i in 0..<p.count {
            let grad = g[i] + lambda * p[i]
            let bi = first ? grad : mu * b[i] + grad
            b[i] = bi
            p[i] -= lr * (nesterov ? grad + mu * bi : bi)
          }
        }
      }
    }
    started = true
  }
}
