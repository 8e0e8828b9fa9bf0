import Foundation
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

/// Feature masks, mixup and weight averaging (the accuracy options of issue 13).
@Suite struct RegularisationTests {
  /// 6 frames × (3 statics + 3 deltas), every value 1.
  static let (frames, perFrame, groups) = (6, 6, 2)

  @Test func timeMasksZeroWholeRunsOfFrames() {
    var rng = SeededGenerator(seed: 4)
    var widths = Set<Int>()
    for _ in 0..<200 {
      var x = ArraySlice([Float](repeating: 1, count: Self.frames * Self.perFrame))
      FeatureMasker.mask(
        &x, frames: Self.frames, perFrame: Self.perFrame, groups: Self.groups,
        options: FeatureMaskOptions(timeMasks: 1, maxFrames: 3), using: &rng)
      let zeroFrames = (0..<Self.frames).filter { t in
        let row = x[(t * Self.perFrame)..<((t + 1) * Self.perFrame)]
        #expect(row.allSatisfy { $0 == 0 } || row.allSatisfy { $0 == 1 }, "partly masked frame")
        return row.allSatisfy { $0 == 0 }
      }
      // One contiguous run of at most three frames.
      if let first = zeroFrames.first {
        #expect(zeroFrames == Array(first..<(first + zeroFrames.count)))
      }
      widths.insert(zeroFrames.count)
    }
    #expect(widths == [0, 1, 2, 3])
  }

  @Test func frequencyMasksCoverTheSameCoefficientsInEveryFrameAndDelta() {
    var rng = SeededGenerator(seed: 9)
    var covered = Set<Int>()
    for _ in 0..<100 {
      var x = ArraySlice([Float](repeating: 1, count: Self.frames * Self.perFrame))
      FeatureMasker.mask(
        &x, frames: Self.frames, perFrame: Self.perFrame, groups: Self.groups,
        options: FeatureMaskOptions(frequencyMasks: 1, maxCoefficients: 2), using: &rng)
      let band = Self.perFrame / Self.groups
      let masked = (0..<band).filter { x[$0] == 0 }
      #expect(masked.count <= 2)
      for t in 0..<Self.frames {
        for g in 0..<Self.groups {
          for k in 0..<band {
            #expect((x[t * Self.perFrame + g * band + k] == 0) == masked.contains(k))
          }
        }
      }
      covered.formUnion(masked)
    }
    #expect(covered == [0, 1, 2])
  }

  @Test func maskingRowsIsSeededPerRowAndOffWhenInactive() {
    let d = Self.frames * Self.perFrame
    let ones = [Float](repeating: 1, count: 3 * d)
    let options = FeatureMaskOptions(
      timeMasks: 2, maxFrames: 2, frequencyMasks: 1, maxCoefficients: 1)
    var a = ones
    var b = ones
    FeatureMasker.mask(
      rows: &a, frames: Self.frames, perFrame: Self.perFrame, groups: Self.groups,
      options: options, seeds: [1, 2, 3])
    FeatureMasker.mask(
      rows: &b, frames: Self.frames, perFrame: Self.perFrame, groups: Self.groups,
      options: options, seeds: [7, 2, 8])
    #expect(a != ones)
    #expect(a[d..<(2 * d)] == b[d..<(2 * d)])  // same seed, same masks
    var c = ones
    FeatureMasker.mask(
      rows: &c, frames: Self.frames, perFrame: Self.perFrame, groups: Self.groups,
      options: FeatureMaskOptions(timeMasks: 3), seeds: [1, 2, 3])
    #expect(c == ones)
  }

  /// With one-hot rows and each row its own class, the mixed inputs are the mixed targets.
  @Test func mixupBlendsInputsAndTargetsAlike() {
    let n = 8
    var x = [Float](repeating: 0, count: n * n)
    for i in 0..<n { x[i * n + i] = 1 }
    var rng = SeededGenerator(seed: 3)
    let targets = Mixup.mix(&x, cols: n, labels: Array(0..<n), classes: n, alpha: 0.4, using: &rng)
    #expect(targets.rows == n && targets.cols == n)
    for (u, v) in zip(x, targets.values) { #expect(abs(u - v) < 1e-6) }
    for r in 0..<n {
      let row = targets.values[(r * n)..<((r + 1) * n)]
      #expect(abs(row.reduce(0, +) - 1) < 1e-6)
    }
    #expect(targets.values.contains { $0 > 0.01 && $0 < 0.99 }, "nothing was blended")
  }

  /// Sample means and variances of the Beta draws against the closed forms.
  @Test(arguments: [(0.4, 0.4), (2.0, 5.0), (1.0, 1.0)])
  func betaDrawsHaveTheRightMoments(a: Double, b: Double) {
    var rng = SeededGenerator(seed: 12)
    let draws = (0..<20_000).map { _ in Mixup.beta(a, b, using: &rng) }
    #expect(draws.allSatisfy { (0...1).contains($0) })
    let mean = draws.reduce(0, +) / Double(draws.count)
    let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)
    #expect(abs(mean - a / (a + b)) < 0.01, "mean \(mean)")
    let expected = a * b / ((a + b) * (a + b) * (a + b + 1))
    #expect(abs(variance - expected) < 0.1 * expected, "variance \(variance) vs \(expected)")
  }

  @Test func weightAverageFollowsTheDecayFormula() {
    var rng = SeededGenerator(seed: 1)
    var network = MLP(inputSize: 2, hidden: [3], outputSize: 2, using: &rng)
    let start = network.parameters
    var average = WeightAverage(decay: 0.5, network: network)
    network.parameters = start.map { $0 + 1 }
    average.update(with: network)  // δ = min(0.5, 1/10) = 0.1
    for (a, s) in zip(average.parameters, start) { #expect(abs(a - (s + 0.9)) < 1e-5) }
    for _ in 0..<60 { average.update(with: network) }  // δ → 0.5: converges to the weights
    for (a, w) in zip(average.parameters, network.parameters) { #expect(abs(a - w) < 1e-5) }
    #expect(average.averaged(network).parameters == average.parameters)
    #expect(average.steps == 61)
  }
}

@Suite(.serialized, .tags(.slow)) struct RegularisedTrainingTests {
  /// Every option on at once still learns the synthetic words, reproducibly, and changes the model.
  @Test func masksMixupAndAveragingTrainReproducibly() throws {
    let out = try TemporaryFolder()
    var bytes: [Data] = []
    for (i, on) in [true, true, false].enumerated() {
      var r = TrainingSetup.request(TrainingSetup.folder.path, out: out.path + "/m\(i).safetensors")
      if on {
        r.options.featureMasks = FeatureMaskOptions(
          timeMasks: 2, maxFrames: 4, frequencyMasks: 1, maxCoefficients: 2)
        r.options.mixupAlpha = 0.3
        r.options.weightAverageDecay = 0.9
      }
      let summary = try TrainingSession(r).run()
      let accuracy = try #require(summary.metrics[.validation]).accuracy
      #expect(accuracy >= 0.8, "validation \(accuracy)")
      bytes.append(try Data(contentsOf: URL(fileURLWithPath: r.output)))
    }
    #expect(bytes[0] == bytes[1])
    #expect(bytes[0] != bytes[2])
  }
}
