import Foundation
import SpeechCommands
import SpeechModel

/// Distinct synthetic sounds standing in for spoken words, for tests and demonstrations that need
/// a model and recordings without a data set.
///
/// Each "word" is a short enveloped sound with random pitch, length, loudness and position, so a
/// model has something to generalise over: `low` (a harmonic tone at 180–240 Hz), `high` (a pure
/// tone at 2.3–2.8 kHz), `sweep` (a chirp rising from about 500 Hz to 3 kHz); `_unknown_` is a
/// warbling tone near 1.1 kHz and `_silence_` is faint noise. Every sound stays below 3.2 kHz, so
/// clips made at 16 kHz and resampled to 8 kHz hold the same sounds as clips made at 8 kHz.
/// Deterministic for a given generator.
public enum SyntheticWords {
  /// The words a synthetic model recognises (reported by `listen`).
  public static let words = ["low", "high", "sweep"]
  /// Every class of a synthetic model: the words, then `_silence_` and `_unknown_`.
  public static let labels = words + [silenceLabel, unknownLabel]

  /// One clip of `seconds` (default 1) at `sampleRate`: faint noise with the sound of `label`
  /// placed at a random position wholly inside it (anywhere, as `listen`'s windows see words).
  public static func clip(
    _ label: String, seconds: Double = 1, sampleRate: Int = 16000,
    using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let count = Int(seconds * Double(sampleRate))
    var out = noise(count: count, level: Float.random(in: 0.002...0.01, using: &rng), using: &rng)
    if label == silenceLabel { return out }
    let sound = self.sound(label, sampleRate: sampleRate, using: &rng)
    let start = Int.random(in: 0...max(0, count - sound.count), using: &rng)
    for (i, value) in sound.enumerated() where start + i < count { out[start + i] += value }
    return out
  }

  /// The sound of `label` alone (0.25–0.45 s, Hann envelope, peak about 0.3–0.6).
  public static func sound(
    _ label: String, sampleRate: Int = 16000, using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let rate = Double(sampleRate)
    let count = Int(Double.random(in: 0.25...0.45, using: &rng) * rate)
    let gain = Double.random(in: 0.3...0.6, using: &rng)
    let low = Double.random(in: 180...240, using: &rng)
    let high = Double.random(in: 2300...2800, using: &rng)
    let from = Double.random(in: 450...550, using: &rng)
    let to = Double.random(in: 2900...3200, using: &rng)
    let centre = Double.random(in: 1050...1150, using: &rng)
    var phase = 0.0
    var out = [Float](repeating: 0, count: count)
    for i in 0..<count {
      let t = Double(i) / rate
      let progress = Double(i) / Double(count)
      let envelope = 0.5 - 0.5 * cos(2 * Double.pi * progress)
      var value: Double
      switch label {
      case "low":
        value = 0
        for k in 1...5 { value += sin(2 * Double.pi * low * Double(k) * t) / Double(k) }
        value *= 0.6
      case "high":
        value = sin(2 * Double.pi * high * t)
      case "sweep":
        phase += 2 * Double.pi * (from + (to - from) * progress) / rate
        value = sin(phase)
      default:
        phase += 2 * Double.pi * (centre + 150 * sin(2 * Double.pi * 12 * t)) / rate
        value = sin(phase)
      }
      out[i] = Float(gain * envelope * value)
    }
    return out
  }

  /// `count` samples of uniform white noise in ±`level`.
  ///
  /// Draws one seed from `rng` and the samples from a local SplitMix64 generator: the same
  /// distribution, but cheap even in a debug build (tests make many seconds of it).
  public static func noise(
    count: Int, level: Float, using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    var local = SplitMix64(seed: rng.next())
    var out = [Float](repeating: 0, count: count)
    let scale = 2 * level / Float(1 << 24)
    for i in 0..<count { out[i] = Float(local.next() >> 40) * scale - level }
    return out
  }
}
