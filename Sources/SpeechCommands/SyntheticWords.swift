import Foundation
import SpeechModel

/// Synthetic "words" for the classify/listen tests and demos: a low tone, a high tone and a
/// rising sweep, plus `_unknown_` (a noise burst) and `_silence_` (faint noise). Each call varies
/// pitch, length, position and loudness a little, from the caller's generator.
///
/// (Reconstructed by the training helper after its file of the same name overwrote the classify
/// helper's original; the API follows that file's callers.)
public enum SyntheticWords {
  /// The words a synthetic model recognises.
  public static let words = ["low", "high", "sweep"]
  /// Every class of a synthetic model: the words, then `_silence_` and `_unknown_`.
  public static let labels = words + [silenceLabel, unknownLabel]

  /// The sound of `label` alone (0.25–0.45 s, no padding) at `sampleRate`.
  public static func sound(
    _ label: String, sampleRate: Int = 16000, using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let rate = Double(sampleRate)
    let count = Int(Double.random(in: 0.25...0.45, using: &rng) * rate)
    let amplitude = Double.random(in: 0.3...0.6, using: &rng)
    let detune = Double.random(in: 0.95...1.05, using: &rng)
    let nyquist = rate / 2
    var phase = 0.0
    return (0..<count).map { n in
      let u = Double(n) / Double(count)
      let envelope = sin(Double.pi * u)
      let f: Double
      switch label {
      case "low": f = 300 * detune
      case "high": f = min(2000 * detune, nyquist * 0.8)
      case "sweep": f = min((500 + 2500 * u) * detune, nyquist * 0.9)
      case silenceLabel: return Float(0.01 * Double.random(in: -1...1, using: &rng))
      default: return Float(amplitude * envelope * Double.random(in: -1...1, using: &rng))
      }
      phase += 2 * Double.pi * f / rate
      return Float(amplitude * envelope * sin(phase))
    }
  }

  /// A `seconds`-long clip (default 1 s) holding `label`'s sound at a random place over faint noise.
  public static func clip(
    _ label: String, seconds: Double = 1, sampleRate: Int = 16000,
    using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let total = Int(seconds * Double(sampleRate))
    var out = noise(count: total, level: 0.003, using: &rng)
    let s = sound(label, sampleRate: sampleRate, using: &rng)
    let start = Int.random(in: 0...max(0, total - s.count), using: &rng)
    for (i, v) in s.prefix(total).enumerated() { out[start + i] += v }
    return out
  }

  /// Uniform white noise in [-level, level].
  public static func noise(
    count: Int, level: Float, using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    (0..<count).map { _ in Float.random(in: -level...level, using: &rng) }
  }
}
