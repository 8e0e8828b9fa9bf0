import Foundation
import SpeechAudio
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// The noise a training run without noise recordings mixes in (`GeneratedNoise`).
@Suite struct GeneratedNoiseTests {
  /// Mean power (periodogram, Hann window) of `x` in the 8 DFT bins from `hz` up, averaged over
  /// consecutive 1024-sample frames: a plain DFT, independent of the product's FFT.
  static func bandPower(_ x: [Float], sampleRate: Int, from hz: Double) -> Double {
    let n = 1024
    let first = Int(hz * Double(n) / Double(sampleRate))
    var total = 0.0
    var frames = 0
    for start in stride(from: 0, to: x.count - n, by: n) {
      for k in first..<(first + 8) {
        var (re, im) = (0.0, 0.0)
        for i in 0..<n {
          let w = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n))
          let phase = 2 * Double.pi * Double(k * i) / Double(n)
          re += w * Double(x[start + i]) * cos(phase)
          im -= w * Double(x[start + i]) * sin(phase)
        }
        total += re * re + im * im
      }
      frames += 1
    }
    return total / Double(frames * 8)
  }

  @Test func whiteAndPinkAtTheFaintLevelReproducibly() {
    let noise = GeneratedNoise.recordings(sampleRate: 16000, seconds: 2, seed: 5)
    #expect(noise.count == 2 && noise.allSatisfy { $0.count == 32000 })
    for x in noise {
      let rms = NoiseSNROptions.meanSquare(x).squareRoot()
      #expect(abs(rms - Double(GeneratedNoise.rms)) < 1e-6)
    }
    #expect(GeneratedNoise.recordings(sampleRate: 16000, seconds: 2, seed: 5) == noise)
    #expect(GeneratedNoise.recordings(sampleRate: 16000, seconds: 2, seed: 6) != noise)
  }

  /// White noise is flat; pink falls 3 dB per octave: 4 octaves from 250 to 4000 Hz = 12 dB.
  @Test func pinkFallsThreeDecibelsPerOctave() {
    let noise = GeneratedNoise.recordings(sampleRate: 16000, seconds: 3, seed: 1)
    func drop(_ x: [Float]) -> Double {
      10 * log10(
        Self.bandPower(x, sampleRate: 16000, from: 250)
          / Self.bandPower(x, sampleRate: 16000, from: 4000))
    }
    #expect(abs(drop(noise[0])) < 1.5, "white: \(drop(noise[0])) dB")
    #expect(abs(drop(noise[1]) - 12.04) < 1.5, "pink: \(drop(noise[1])) dB")
  }

  /// A new model trained on a folder without `_background_noise_` gets the generated noise and
  /// says so; with the noise augmentation off it gets none.
  @Test func aTrainingRunWithoutNoiseRecordingsGeneratesSomeAndSaysSo() throws {
    let dir = try TwoWordFolder.make(takes: 4)
    var job = TwoWordFolder.job(dir)
    let session = try TrainingSession(job)
    #expect(session.dataset.noise == GeneratedNoise.recordings(sampleRate: 16000, seed: 0))
    #expect(session.notes.contains { $0.contains("generated white and pink noise") })

    job.options.augmentation = .none
    let quiet = try TrainingSession(job)
    #expect(quiet.dataset.noise.isEmpty)
    #expect(!quiet.notes.contains { $0.contains("noise") })
  }
}
