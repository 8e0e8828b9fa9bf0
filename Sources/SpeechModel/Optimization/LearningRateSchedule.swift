import Foundation

/// The learning rate at each optimiser step: a linear warm-up followed by a constant, step-wise or
/// cosine schedule. Steps count from 0.
///
/// - Warm-up: during steps 0 ..< `warmupSteps`, the rate is `base · (step + 1) / warmupSteps`.
/// - After warm-up, with s = step − warmupSteps:
///   - `.constant`: `base`;
///   - `.step(every: k, factor: γ)`: `base · γ^⌊s / k⌋` (PyTorch's `StepLR`);
///   - `.cosine(totalSteps: T, minimum: η_min)`:
///     `η_min + (base − η_min) · (1 + cos(π · min(s, S) / S)) / 2` with S = T − warmupSteps
///     (PyTorch's `CosineAnnealingLR` over the post-warm-up steps, held at η_min after T).
public struct LearningRateSchedule: Sendable, Equatable, Codable {
  /// The shape after warm-up.
  public enum Kind: Sendable, Equatable, Codable {
    /// The base rate throughout.
    case constant
    /// Multiply by `factor` every `every` steps.
    case step(every: Int, factor: Float)
    /// Cosine decay from the base rate to `minimum` at step `totalSteps` (warm-up included).
    case cosine(totalSteps: Int, minimum: Float)
  }

  /// The peak learning rate, e.g. 1e-3 for Adam.
  public var base: Float
  /// Steps of linear warm-up before `kind` takes over. Default 0.
  public var warmupSteps: Int
  /// The schedule after warm-up. Default `.constant`.
  public var kind: Kind

  /// A schedule of base rate `base`.
  public init(base: Float, warmupSteps: Int = 0, kind: Kind = .constant) {
    precondition(warmupSteps >= 0, "warm-up steps must not be negative")
    if case .step(let every, _) = kind { precondition(every > 0, "step interval must be positive") }
    self.base = base
    self.warmupSteps = warmupSteps
    self.kind = kind
  }

  /// The learning rate for optimiser step `step` (0-based).
  public func rate(at step: Int) -> Float {
    if step < warmupSteps { return base * Float(step + 1) / Float(warmupSteps) }
    let s = step - warmupSteps
    switch kind {
    case .constant:
      return base
    case .step(let every, let factor):
      return base * Float(pow(Double(factor), Double(s / every)))
    case .cosine(let totalSteps, let minimum):
      let span = totalSteps - warmupSteps
      guard span > 0 else { return minimum }
      let progress = Double(min(s, span)) / Double(span)
      return minimum + (base - minimum) * Float((1 + cos(Double.pi * progress)) / 2)
    }
  }
}
