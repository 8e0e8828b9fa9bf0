import Foundation
import SpeechModel

/// Mixup (Zhang et al. 2018): each training batch is blended with a shuffled copy of itself,
/// `x = λ·xᵢ + (1 − λ)·xⱼ`, and trained towards the same blend of the two one-hot labels, with
/// one λ ~ Beta(α, α) per batch. It teaches the network to be less certain between words.
public enum Mixup {
  /// Blends the rows of `x` (`labels.count × cols`, row-major) with a random permutation of
  /// themselves and returns the soft targets (`rows × classes`). Draws λ, then the permutation.
  public static func mix(
    _ x: inout [Float], cols: Int, labels: [Int], classes: Int, alpha: Double,
    using rng: inout some RandomNumberGenerator
  ) -> Matrix {
    let rows = labels.count
    precondition(x.count == rows * cols, "x must be rows × cols")
    let lambda = Float(beta(alpha, alpha, using: &rng))
    let partner = Array(0..<rows).shuffled(using: &rng)
    let original = x
    var targets = [Float](repeating: 0, count: rows * classes)
    for r in 0..<rows {
      let p = partner[r]
      for c in 0..<cols {
        x[r * cols + c] = lambda * original[r * cols + c] + (1 - lambda) * original[p * cols + c]
      }
      targets[r * classes + labels[r]] += lambda
      targets[r * classes + labels[p]] += 1 - lambda
    }
    return Matrix(rows: rows, cols: classes, values: targets)
  }

  /// A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
  static func beta(_ a: Double, _ b: Double, using rng: inout some RandomNumberGenerator) -> Double
  {
    let x = gamma(a, using: &rng)
    let y = gamma(b, using: &rng)
    return x + y > 0 ? x / (x + y) : 0.5
  }

  /// A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape < 1 through the U^(1/shape) boost).
  static func gamma(_ shape: Double, using rng: inout some RandomNumberGenerator) -> Double {
    if shape < 1 {
      let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
      return gamma(shape + 1, using: &rng) * pow(u, 1 / shape)
    }
    let d = shape - 1.0 / 3
    let c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double
      var v: Double
      repeat {
        x = normal(using: &rng)
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = Double.random(in: 0..<1, using: &rng)
      if log(max(u, .leastNonzeroMagnitude)) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
    }
  }

  /// A standard normal draw (Box–Muller).
  static func normal(using rng: inout some RandomNumberGenerator) -> Double {
    let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng)
    let u2 = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}
