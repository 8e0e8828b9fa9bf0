import Foundation
import SpeechModel

/// Random changes applied to training clips, drawn fresh every epoch (validation and test clips
/// are never augmented). Defaults follow TensorFlow's `speech_commands` example.
public struct AugmentationOptions: Sendable, Hashable, Codable {
  /// Largest time shift in seconds, either way; the clip moves by a uniform amount in
  /// [-shift, +shift] and the gap is filled with zeros. Default 0.1 (100 ms).
  public var timeShiftSeconds: Double
  /// Probability that background noise is mixed into a clip. Default 0.8.
  public var noiseProbability: Double
  /// Largest noise volume; each mixed clip gets a uniform volume in [0, noiseVolume] times a
  /// random one-clip slice of a noise recording. Default 0.1.
  public var noiseVolume: Double
  /// Largest random gain in dB, either way (uniform in [-gainDB, +gainDB]). Default 0 (off).
  public var gainDB: Double
  /// Largest relative speed change: the clip is played back at a uniform factor in
  /// [1 − s, 1 + s] (pitch and formants move together, like a different voice), then refitted to
  /// the clip length. Default 0 (off).
  public var speedPerturbation: Double
  /// When set, mixed noise is scaled to a signal-to-noise ratio drawn uniformly from this range
  /// (replacing `noiseVolume`'s raw volume). Default nil.
  public var noiseSNR: NoiseSNROptions? = nil

  public init(
    timeShiftSeconds: Double = 0.1, noiseProbability: Double = 0.8, noiseVolume: Double = 0.1,
    gainDB: Double = 0, speedPerturbation: Double = 0
  ) {
    self.timeShiftSeconds = timeShiftSeconds
    self.noiseProbability = noiseProbability
    self.noiseVolume = noiseVolume
    self.gainDB = gainDB
    self.speedPerturbation = speedPerturbation
  }

  /// Whether background noise is mixed into any clip (a probability and a volume or SNR range).
  public var mixesNoise: Bool {
    noiseProbability > 0 && (noiseVolume > 0 || noiseSNR != nil)
  }

  /// No augmentation at all.
  public static let none = AugmentationOptions(
    timeShiftSeconds: 0, noiseProbability: 0, noiseVolume: 0, gainDB: 0, speedPerturbation: 0)
}

/// Applies `AugmentationOptions` to clips.
public enum Augmenter {
  /// A randomly shifted, gained and noise-mixed copy of `clip` (same length), clamped to [-1, 1].
  ///
  /// Draws from `rng` in a fixed order (speed, shift, gain, noise decision, noise choice,
  /// volume), so a given generator state always yields the same clip.
  ///
  /// A speed-changed clip is brought back to the clip length by `refit` (the front end's
  /// `fitClip`, so the word stays centred); the default centres it with zero padding or crops
  /// its middle.
  public static func augment(
    _ clip: [Float], options: AugmentationOptions, sampleRate: Int, noise: [[Float]],
    refit: ([Float]) -> [Float]? = { _ in nil },
    using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let n = clip.count
    var source = clip
    if options.speedPerturbation > 0 {
      let s = min(options.speedPerturbation, 0.5)
      let factor = Double.random(in: (1 - s)...(1 + s), using: &rng)
      let changed = stretched(clip, factor: factor)
      source = refit(changed) ?? FrontEnd.centre(changed, length: n, focus: changed.count)
    }
    var out = source
    let maxShift = Int((options.timeShiftSeconds * Double(sampleRate)).rounded())
    if maxShift > 0 {
      let shift = Int.random(in: -maxShift...maxShift, using: &rng)
      out = shifted(source, by: shift)
    }
    if options.gainDB > 0 {
      let db = Double.random(in: -options.gainDB...options.gainDB, using: &rng)
      let g = Float(pow(10, db / 20))
      for i in 0..<n { out[i] *= g }
    }
    if !noise.isEmpty && options.mixesNoise {
      if Double.random(in: 0..<1, using: &rng) < options.noiseProbability {
        var volume: Float = 0
        if options.noiseSNR == nil {
          volume = Float(Double.random(in: 0...options.noiseVolume, using: &rng))
        }
        let slice = noiseSlice(noise: noise, length: n, using: &rng)
        if let snr = options.noiseSNR {
          let db = Double.random(in: snr.minimumDB...snr.maximumDB, using: &rng)
          volume = NoiseSNROptions.scale(clip: out, noise: slice, snrDB: db)
        }
        for i in 0..<n { out[i] += volume * slice[i] }
      }
    }
    for i in 0..<n { out[i] = min(1, max(-1, out[i])) }
    return out
  }

  /// `clip` moved right by `shift` samples (left when negative), zeros filling the gap.
  public static func shifted(_ clip: [Float], by shift: Int) -> [Float] {
    let n = clip.count
    if shift == 0 { return clip }
    var out = [Float](repeating: 0, count: n)
    if abs(shift) >= n { return out }
    if shift > 0 {
      out.replaceSubrange(shift..<n, with: clip[0..<(n - shift)])
    } else {
      out.replaceSubrange(0..<(n + shift), with: clip[(-shift)..<n])
    }
    return out
  }

  /// `clip` played `factor` times faster (shorter when `factor > 1`), by linear interpolation.
  public static func stretched(_ clip: [Float], factor: Double) -> [Float] {
    let n = clip.count
    guard n > 1, factor > 0, factor != 1 else { return clip }
    let m = max(1, Int((Double(n - 1) / factor).rounded(.down)) + 1)
    return (0..<m).map { i in
      let t = Double(i) * factor
      let k = min(Int(t), n - 2)
      let w = Float(t - Double(k))
      return clip[k] * (1 - w) + clip[k + 1] * w
    }
  }

  /// A random `length`-sample slice of a random noise recording (zero-padded when shorter).
  public static func noiseSlice(
    noise: [[Float]], length: Int, using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let source = noise[Int.random(in: 0..<noise.count, using: &rng)]
    if source.count <= length {
      return source + [Float](repeating: 0, count: length - source.count)
    }
    let start = Int.random(in: 0...(source.count - length), using: &rng)
    return Array(source[start..<(start + length)])
  }

  /// A `_silence_` clip: a random noise slice at a uniform volume in [0, 1], as TensorFlow makes
  /// its silence class.
  public static func silenceClip(
    noise: [[Float]], length: Int, using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let slice = noiseSlice(noise: noise, length: length, using: &rng)
    let volume = Float(Double.random(in: 0...1, using: &rng))
    return slice.map { min(1, max(-1, $0 * volume)) }
  }
}
