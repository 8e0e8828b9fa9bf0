import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel

/// Toy word recordings — tones, chirps, noise bursts — for training tests that must run without real
/// recordings. Each word has a distinct spectral pattern; every take varies its pitch, length,
/// position and loudness, so a model has something to learn and something to generalise over.
public enum SyntheticDataset {
  /// Number of distinct patterns; word `k` uses pattern `k % patternCount`.
  public static let patternCount = 6

  /// One take of word `pattern` at `sampleRate`, `seconds` long (default 1 s).
  public static func take(
    pattern: Int, sampleRate: Int = 16000, seconds: Double = 1,
    using rng: inout some RandomNumberGenerator
  ) -> [Float] {
    let total = Int(seconds * Double(sampleRate))
    let length = Int(Double.random(in: 0.3...0.6, using: &rng) * Double(sampleRate))
    let start = Int.random(in: 0...(total - length), using: &rng)
    let amplitude = Double.random(in: 0.3...0.8, using: &rng)
    let detune = Double.random(in: 0.9...1.1, using: &rng)
    let rate = Double(sampleRate)
    var out = [Float](repeating: 0, count: total)
    var phase = 0.0
    for n in 0..<length {
      let t = Double(n) / rate
      let u = Double(n) / Double(length)
      let envelope = sin(Double.pi * u)
      let f: Double
      var value: Double
      switch pattern % patternCount {
      case 0: f = 450 * detune
      case 1: f = (300 + 1200 * u) * detune
      case 2: f = 0
      case 3: f = (Int(t * 8) % 2 == 0 ? 800 : 1300) * detune
      case 4: f = (2000 - 1500 * u) * detune
      default: f = 120 * detune
      }
      phase += 2 * Double.pi * f / rate
      switch pattern % patternCount {
      case 2: value = Double.random(in: -1...1, using: &rng)
      case 5:
        value = sin(phase) + 0.6 * sin(2 * phase) + 0.4 * sin(3 * phase) + 0.3 * sin(5 * phase)
      default: value = sin(phase)
      }
      out[start + n] = Float(amplitude * envelope * value * 0.8)
    }
    for n in 0..<total { out[n] += Float(Double.random(in: -0.005...0.005, using: &rng)) }
    return out
  }

  /// Writes a Speech Commands–style folder: `dir/<word>/<speaker>_nohash_<i>.wav` with `takes`
  /// files per word (16-bit WAV), word `k` of `words` using pattern `patternOffset + k`, and,
  /// when `noiseSeconds > 0`, `dir/_background_noise_/noise.wav` (quiet white noise).
  /// Speakers are random 8-hex-digit names, so TensorFlow's hash rule splits the files.
  public static func writeDataset(
    at dir: String, words: [String], takes: Int, patternOffset: Int = 0,
    noiseSeconds: Double = 0, sampleRate: Int = 16000, seed: UInt64 = 1
  ) throws {
    var rng = SeededGenerator(seed: seed)
    let fm = FileManager.default
    for (k, word) in words.enumerated() {
      try fm.createDirectory(atPath: dir + "/" + word, withIntermediateDirectories: true)
      for i in 0..<takes {
        let speaker = String(format: "%08x", UInt32.random(in: 0...UInt32.max, using: &rng))
        let samples = take(pattern: patternOffset + k, sampleRate: sampleRate, using: &rng)
        try AudioFile.write(
          samples, sampleRate: sampleRate, to: "\(dir)/\(word)/\(speaker)_nohash_\(i).wav")
      }
    }
    if noiseSeconds > 0 {
      try fm.createDirectory(
        atPath: dir + "/" + backgroundNoiseFolder, withIntermediateDirectories: true)
      let noise = (0..<Int(noiseSeconds * Double(sampleRate))).map { _ in
        Float(Double.random(in: -0.3...0.3, using: &rng))
      }
      try AudioFile.write(
        noise, sampleRate: sampleRate, to: dir + "/" + backgroundNoiseFolder + "/noise.wav")
    }
  }
}
