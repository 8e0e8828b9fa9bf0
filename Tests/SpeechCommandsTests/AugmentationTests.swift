import Foundation
import SpeechModel
import Testing

@testable import SpeechCommands

@Suite struct AugmentationTests {
  @Test func shiftMovesAndZeroFills() {
    #expect(Augmenter.shifted([1, 2, 3, 4], by: 1) == [0, 1, 2, 3])
    #expect(Augmenter.shifted([1, 2, 3, 4], by: -2) == [3, 4, 0, 0])
    #expect(Augmenter.shifted([1, 2, 3, 4], by: 9) == [0, 0, 0, 0])
  }

  @Test func sameGeneratorStateGivesTheSameClip() {
    let clip = (0..<1600).map { Float(sin(Double($0) / 10)) * 0.5 }
    let noise = [(0..<4000).map { Float(($0 % 7) - 3) / 10 }]
    let options = AugmentationOptions(gainDB: 6)
    var a = SeededGenerator(seed: 3)
    var b = SeededGenerator(seed: 3)
    let x = Augmenter.augment(clip, options: options, sampleRate: 16000, noise: noise, using: &a)
    let y = Augmenter.augment(clip, options: options, sampleRate: 16000, noise: noise, using: &b)
    #expect(x == y)
    #expect(x != clip)
    #expect(x.allSatisfy { abs($0) <= 1 })
    var c = SeededGenerator(seed: 3)
    let none = Augmenter.augment(clip, options: .none, sampleRate: 16000, noise: noise, using: &c)
    #expect(none == clip)
  }

  @Test func shiftStaysWithinTheLimit() {
    var clip = [Float](repeating: 0, count: 16000)
    clip[8000] = 1
    var rng = SeededGenerator(seed: 11)
    let options = AugmentationOptions(noiseProbability: 0)
    for _ in 0..<50 {
      let out = Augmenter.augment(clip, options: options, sampleRate: 16000, noise: [], using: &rng)
      let at = out.firstIndex(of: 1)!
      #expect(abs(at - 8000) <= 1600)
    }
  }

  @Test func silenceIsScaledNoise() {
    var rng = SeededGenerator(seed: 5)
    let noise = [[Float](repeating: 0.5, count: 100)]
    let s = Augmenter.silenceClip(noise: noise, length: 40, using: &rng)
    #expect(s.count == 40)
    #expect(Set(s).count == 1 && s[0] <= 0.5 && s[0] >= 0)
  }

  @Test func speedChangeStretchesByInterpolation() {
    let ramp = (0..<11).map { Float($0) }
    #expect(Augmenter.stretched(ramp, factor: 2) == [0, 2, 4, 6, 8, 10])
    #expect(Augmenter.stretched(ramp, factor: 0.5).count == 21)
    #expect(Augmenter.stretched(ramp, factor: 0.5)[3] == 1.5)
    var rng = SeededGenerator(seed: 2)
    let clip = (0..<1600).map { Float(sin(Double($0) / 5)) * 0.5 }
    let out = Augmenter.augment(
      clip,
      options: AugmentationOptions(
        timeShiftSeconds: 0, noiseProbability: 0, speedPerturbation: 0.2),
      sampleRate: 16000, noise: [], using: &rng)
    #expect(out.count == clip.count && out != clip)
  }
}
