import Foundation

/// Whether a recording holds any sound at all: its loudest 25 ms must reach −60 dBFS (RMS).
///
/// Why: a recording with nothing audible in it holds no word, yet the network, which never saw
/// near-digital silence padded with zeros, can answer a command for it with confidence (the first
/// 0.1 s of a take, at −72 dBFS, scored `up` 0.93 on the shipped model). `classify` answers
/// `_silence_` for such a recording without asking the network. The level leaves a wide margin:
/// the quietest of speech-commands-dev's 2,545 word clips reaches −36.7 dBFS in its loudest 25 ms,
/// 23 dB above it; only `_silence_` clips (background noise) fall below.
public enum SilenceGate {
  /// The level a recording's loudest 25 ms must reach, in dB relative to full scale (RMS).
  public static let levelDBFS = -60.0
  /// The window whose RMS is measured, in seconds.
  public static let windowSeconds = 0.025

  /// Whether `samples` (at `sampleRate` Hz) never reach `levelDBFS` over any 25 ms window (over
  /// the whole recording when it is shorter). Empty audio is silent.
  public static func isSilent(_ samples: [Float], sampleRate: Int) -> Bool {
    let width = max(1, min(samples.count, Int(windowSeconds * Double(sampleRate))))
    guard samples.count > 0 else { return true }
    // Energies in the exact units of `LoudestWindow`: no rounding decides a tie. One sliding
    // sum, no array: this runs for every clip `classify` reads.
    var energy: Int64 = 0
    var loudest: Int64 = 0
    for i in samples.indices {
      energy += LoudestWindow.units(samples[i])
      if i >= width { energy -= LoudestWindow.units(samples[i - width]) }
      if i >= width - 1 { loudest = max(loudest, energy) }
    }
    let threshold = pow(10, levelDBFS / 10) * Double(width) * LoudestWindow.unitsPerFullScale
    return Double(loudest) < threshold
  }
}
