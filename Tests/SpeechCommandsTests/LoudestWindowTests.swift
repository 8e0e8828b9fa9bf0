import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechCommands

@Suite struct LoudestWindowTests {
  /// Against a direct sum of squares in Double over every window (an independent reference), on
  /// noise whose window energies are all distinct.
  @Test func findsTheWindowWithTheMostEnergy() {
    var rng = SeededGenerator(seed: 11)
    for _ in 0..<20 {
      let samples = (0..<300).map { _ in Float.random(in: -1...1, using: &rng) }
      let width = Int.random(in: 1...120, using: &rng)
      var want = 0
      var most = -1.0
      for start in 0...(samples.count - width) {
        var energy = 0.0
        for x in samples[start..<start + width] { energy += Double(x) * Double(x) }
        if energy > most { (most, want) = (energy, start) }
      }
      #expect(LoudestWindow.start(of: samples, width: width) == want)
    }
  }

  @Test func tiesGoToTheMiddleOfTheRun() {
    // A 4-sample burst amid zeros, width 8: windows starting at 2...6 all hold the burst.
    var x = [Float](repeating: 0, count: 20)
    for i in 6..<10 { x[i] = 0.5 }
    #expect(LoudestWindow.start(of: x, width: 8) == 4)
    #expect(LoudestWindow.start(of: [Float](repeating: 0, count: 10), width: 4) == 3)
    // The same burst again later: the first run of equal windows wins, not a span over both.
    var twice = [Float](repeating: 0, count: 40)
    for i in 6..<10 { (twice[i], twice[i + 24]) = (0.5, 0.5) }
    #expect(LoudestWindow.start(of: twice, width: 8) == 4)
  }

  /// 16-bit samples lose nothing: a square of k/32768 is exactly k² units.
  @Test func sixteenBitSquaresAreWholeUnits() {
    for k in [1, 2, 181, 32767] {
      #expect(LoudestWindow.units(Float(k) / 32768) == Int64(k * k))
    }
  }

  /// Samples that are not numbers, or absurdly loud, count as 8× full scale instead of trapping
  /// or overflowing.
  @Test func nonFiniteAndHugeSamplesAreCapped() {
    let cap = LoudestWindow.units(8)
    #expect(LoudestWindow.units(.nan) == cap)
    #expect(LoudestWindow.units(-.infinity) == cap)
    #expect(LoudestWindow.units(1e30) == cap)
    var x = [Float](repeating: 0.1, count: 50)
    x[30] = .nan
    #expect(LoudestWindow.start(of: x, width: 5) == 28)
  }

  /// A stream's running sums, sliced and wrapped past Int64.max, place every window exactly as
  /// the window's own samples do: what lets `listen` skip rescanning each window.
  @Test func slicesOfAStreamsSumsAgreeWithEachWindowAlone() {
    var rng = SeededGenerator(seed: 3)
    let stream = SyntheticWords.noise(count: 6000, level: 0.2, using: &rng)
    var sums: [Int64] = [Int64.max - 40_000_000]
    stream.withUnsafeBufferPointer { LoudestWindow.appendRunningSums(of: $0, to: &sums) }
    for start in stride(from: 0, through: 4000, by: 97) {
      let window = Array(stream[start..<start + 2000])
      let slice = sums.withUnsafeBufferPointer {
        LoudestWindow.start(
          sums: UnsafeBufferPointer(rebasing: $0[start...(start + 2000)]), width: 700)
      }
      #expect(slice == LoudestWindow.start(of: window, width: 700), "window \(start)")
    }
  }
}
