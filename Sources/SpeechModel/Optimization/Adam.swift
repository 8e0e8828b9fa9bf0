import CKernels
import Foundation

/// Adam (Kingma & Ba), as `torch.optim.Adam` / `torch.optim.AdamW`:
///
///     g ← g + λ·θ                     (L2 weight decay, `decoupled == false` only)
///     θ ← θ·(1 − η·λ)                 (decoupled weight decay, AdamW, `decoupled == true` only)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − η · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
///
/// Weight decay applies to every parameter, biases included (PyTorch's single parameter group).
public struct Adam: Optimizer, Sendable {
  /// β₁, the decay of the first moment. Default 0.9.
  public var beta1: Float
  /// β₂, the decay of the second moment. Default 0.999.
  public var beta2: Float
  /// ε, added to the denominator. Default 1e-8.
  public var epsilon: Float
  /// λ, the weight decay. Default 0 (Adam) — use `Adam.adamW` for 0.01 decoupled.
  public var weightDecay: Float
  /// Whether weight decay is decoupled from the gradient (AdamW) or added to it (Adam's L2).
  public var decoupled: Bool
  /// Steps taken so far (t).
  public private(set) var steps = 0
  private var m: [Float] = []
  private var v: [Float] = []

  /// Adam with PyTorch's defaults for every option not given.
  public init(
    beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
    decoupled: Bool = false
  ) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupled = decoupled
  }

  /// AdamW: Adam with decoupled weight decay λ (default 0.01, PyTorch's `AdamW` default).
  public static func adamW(
    beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01
  ) -> Adam {
    Adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupled: true)
  }

  public mutating func step(_ model: inout MLP, _ g: Gradients, learningRate: Float) {
    if prepareState(&m, for: model, g) || v.count != m.count {
      v = [Float](repeating: 0, count: m.count)
      steps = 0
    }
    steps += 1
    let (b1, b2, eps, lr) = (beta1, beta2, epsilon, learningRate)
    let correction1 = 1 - Float(pow(Double(b1), Double(steps)))
    let correction2 = 1 - Float(pow(Double(b2), Double(steps)))
    let stepSize = lr / correction1
    let rootCorrection2 = correction2.squareRoot()
    let l2: Float = decoupled ? 0 : weightDecay
    let shrink: Float = decoupled ? 1 - lr * weightDecay : 1
    model.parameters.withUnsafeMutableBufferPointer { p in
      g.values.withUnsafeBufferPointer { g in
        m.withUnsafeMutableBufferPointer { m in
          v.withUnsafeMutableBufferPointer { v in
            let count = p.count
            let shared = SharedBuffers(pointers: [
              p.baseAddress!, UnsafeMutablePointer(mutating: g.baseAddress!), m.baseAddress!,
              v.baseAddress!,
            ])
            forEachChunk(count: count) { r in
              let (p, g, m, v) = (
                shared.pointers[0], shared.pointers[1], shared.pointers[2], shared.pointers[3]
              )
              speechcmd_adam_update(
                r.count, p + r.lowerBound, g + r.lowerBound, m + r.lowerBound, v + r.lowerBound,
                b1, b2, eps, stepSize, rootCorrection2, l2, shrink)
            }
          }
        }
      }
    }
  }
}
