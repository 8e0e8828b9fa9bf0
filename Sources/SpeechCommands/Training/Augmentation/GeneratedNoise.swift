import Foundation
import SpeechModel

/// Background noise made up for a training run that has no noise recordings.
///
/// Trimmed recordings (FSDD's) are padded to the clip length with digital silence, whose MFCC
/// frames sit at the log floor: a value no microphone produces. A network trained only on such
/// clips has never heard a quiet room, and every real recording has one. Mixing a faint noise
/// floor into the training clips, as the noise augmentation does with real recordings, closes
/// that gap: a model trained on all of FSDD recognised 74.9% of the Speech Commands digits (real
/// voices, 16 kHz) instead of 67.7% (mean of three seeds; README, "Augmentation").
public enum GeneratedNoise {
  /// Root-mean-square level of each generated recording (linear, full scale 1): about −50 dBFS,
  /// the level of the white and pink noise recordings of Speech Commands' `_background_noise_`.
  /// The noise augmentation scales it further by its random volume (at most 0.1 by default).
  public static let rms: Float = 0.0033

  /// A white and a pink noise recording of `seconds` at `sampleRate`, each scaled to `rms`,
  /// drawn from `seed` (the same seed gives the same samples).
  public static func recordings(sampleRate: Int, seconds: Double = 30, seed: UInt64) -> [[Float]] {
    let count = max(1, Int(Double(sampleRate) * seconds))
    var rng = SeededGenerator(seed: seed ^ 0x6E6F_6973_655F_6765)  // "noise_ge"
    let white = uniform(count, using: &rng)
    return [scaled(white, toRMS: rms), scaled(pink(from: uniform(count, using: &rng)), toRMS: rms)]
  }

  /// `count` samples of uniform white noise in [-0.5, 0.5].
  static func uniform(_ count: Int, using rng: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in Float(rng.nextUnitDouble() - 0.5) }
  }

  /// `white` filtered to a 1/f power spectrum (−3 dB per octave): three leaky integrators with
  /// poles spread over the audio band, summed with a little of the input (Paul Kellet's economy
  /// pink filter, designed for 44.1 kHz; at 16 kHz it falls 12 ± 1.5 dB from 250 to 4000 Hz,
  /// as `GeneratedNoiseTests` checks).
  static func pink(from white: [Float]) -> [Float] {
    var (b0, b1, b2): (Float, Float, Float) = (0, 0, 0)
    return white.map { x in
      b0 = 0.99765 * b0 + x * 0.0990460
      b1 = 0.96300 * b1 + x * 0.2965164
      b2 = 0.57000 * b2 + x * 1.0526913
      return b0 + b1 + b2 + x * 0.1848
    }
  }

  /// `x` multiplied so that its root-mean-square is `target` (unchanged when silent).
  static func scaled(_ x: [Float], toRMS target: Float) -> [Float] {
    let power = NoiseSNROptions.meanSquare(x)
    guard power > 0 else { return x }
    let factor = target / Float(power.squareRoot())
    return x.map { $0 * factor }
  }
}
