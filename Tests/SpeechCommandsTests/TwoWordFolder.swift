import Foundation
import SpeechAudio
import SpeechModel
import SpeechTestSupport

@testable import SpeechCommands

/// A fresh folder in the Speech Commands layout with two words of synthetic takes and no
/// `_background_noise_`, for tests of how a training session is set up.
enum TwoWordFolder {
  /// Takes of "alpha" and "bravo" recorded at `rates` (cycled over the takes).
  static func make(rates: [Int] = [16000], takes: Int = 6) throws -> TemporaryFolder {
    let dir = try TemporaryFolder()
    var rng = SeededGenerator(seed: 3)
    for (k, word) in ["alpha", "bravo"].enumerated() {
      try FileManager.default.createDirectory(
        atPath: dir.path + "/" + word, withIntermediateDirectories: true)
      for i in 0..<takes {
        let rate = rates[i % rates.count]
        let samples = SyntheticDataset.take(pattern: k, sampleRate: rate, using: &rng)
        try AudioFile.write(
          samples, sampleRate: rate,
          to: "\(dir.path)/\(word)/\(String(format: "%08x", i))_nohash_0.wav")
      }
    }
    return dir
  }

  /// A job on `dir` with the product's 16 kHz front end; every take in training.
  static func job(_ dir: TemporaryFolder) -> TrainingJob {
    var r = TrainingJob(data: [.folder(dir.path)], output: dir.path + "/m.safetensors")
    r.split = HashSplitRule(validationPercent: 0, testPercent: 0)
    r.options.convolution = nil  // written for the plain MLP (and fast in a debug build)
    return r
  }
}
