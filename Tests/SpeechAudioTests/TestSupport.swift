import Foundation
import SpeechAudio

/// Signals and measurements for the audio tests, computed from first principles.
enum Signal {
  /// `amplitude × sin(2π f n / rate)` for `n` in `0..<count`.
  static func sine(frequency: Double, rate: Int, count: Int, amplitude: Double = 0.5) -> [Float] {
    (0..<count).map {
      Float(amplitude * sin(2 * Double.pi * frequency * Double($0) / Double(rate)))
    }
  }

  /// Goertzel power of `x` at `frequency` Hz: |Σ x[n] e^{-2πi f n / rate}|².
  static func power(_ x: [Float], at frequency: Double, rate: Int) -> Double {
    let coefficient = 2 * cos(2 * Double.pi * frequency / Double(rate))
    var s1 = 0.0
    var s2 = 0.0
    for sample in x {
      let s0 = Double(sample) + coefficient * s1 - s2
      s2 = s1
      s1 = s0
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2
  }

  /// The frequency among `candidates` (Hz) with the most power in `x`.
  static func peak(_ x: [Float], rate: Int, candidates: [Double]) -> Double {
    let powers = candidates.map { power(x, at: $0, rate: rate) }
    return candidates[powers.indices.max { powers[$0] < powers[$1] }!]
  }

  /// Sign changes between consecutive samples, ignoring samples within `floor` of zero.
  static func zeroCrossings(_ x: [Float], floor: Float = 1e-3) -> Int {
    var count = 0
    var previous: Float = 0
    for sample in x where abs(sample) > floor {
      if previous != 0 && (sample > 0) != (previous > 0) { count += 1 }
      previous = sample
    }
    return count
  }

  /// Root-mean-square difference of two equally long signals.
  static func rmsDifference(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    let sum = zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
    return (sum / Double(max(a.count, 1))).squareRoot()
  }

  /// Largest absolute difference of two equally long signals.
  static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
  }
}
