import Foundation
import SpeechModel
import Testing

@testable import SpeechCommands

@Suite struct NoiseLevelTests {
  static func snr(_ clip: [Float], _ noise: [Float]) -> Double {
    10 * log10(NoiseSNROptions.meanSquare(clip) / NoiseSNROptions.meanSquare(noise))
  }

  @Test(arguments: [-5.0, 0, 10, 30])
  func scalePutsTheNoiseAtTheRatioAsked(db: Double) {
    let clip = (0..<1600).map { Float(sin(Double($0) / 7)) * 0.5 }
    let noise = (0..<1600).map { Float(($0 * 37) % 11 - 5) / 50 }
    let s = NoiseSNROptions.scale(clip: clip, noise: noise, snrDB: db)
    #expect(abs(Self.snr(clip, noise.map { $0 * s }) - db) < 1e-3)
    #expect(
      NoiseSNROptions.scale(clip: [Float](repeating: 0, count: 9), noise: noise, snrDB: db) == 0)
  }

  /// Loud and quiet takes get noise of the same relative strength, within the range.
  @Test func augmentedNoiseFollowsTheClipLevel() {
    let noise = [(0..<8000).map { Float(($0 * 37) % 11 - 5) / 20 }]
    var options = AugmentationOptions(timeShiftSeconds: 0, noiseProbability: 1, noiseVolume: 0.1)
    options.noiseSNR = NoiseSNROptions(minimumDB: 5, maximumDB: 15)
    var rng = SeededGenerator(seed: 8)
    for level in [Float(0.02), 0.2, 0.6] {
      let clip = (0..<1600).map { Float(sin(Double($0) / 7)) * level }
      for _ in 0..<20 {
        let out = Augmenter.augment(
          clip, options: options, sampleRate: 16000, noise: noise, using: &rng)
        let added = zip(out, clip).map { $0 - $1 }
        #expect((4.99...15.01).contains(Self.snr(clip, added)), "level \(level)")
      }
    }
  }
}
