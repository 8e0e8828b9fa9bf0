import Foundation
import SpeechFeatures
import Testing

@testable import SpeechCommands

@Suite struct FrontEndTests {
  @Test func shortClipsAreCentredWithZeros() {
    let clip = FrontEnd.fitClip([1, 2, 3], length: 8)
    #expect(clip == [0, 0, 1, 2, 3, 0, 0, 0])
    #expect(FrontEnd.fitClip([1, 2], length: 2) == [1, 2])
  }

  @Test func longClipsKeepTheLoudestWindow() {
    var x = [Float](repeating: 0.01, count: 100)
    for i in 60..<70 { x[i] = 0.9 }
    let clip = FrontEnd.fitClip(x, length: 10)
    #expect(clip == [Float](repeating: 0.9, count: 10))
    // A burst wider than the window: the earliest window fully inside it.
    var y = [Float](repeating: 0, count: 50)
    for i in 20..<40 { y[i] = 0.5 }
    #expect(FrontEnd.fitClip(y, length: 10) == [Float](repeating: 0.5, count: 10))
  }

  @Test func configRoundTripsThroughJSON() throws {
    let config = FrontEndConfig(mfcc: .psf, clipSeconds: 0.75)
    let back = try FrontEndConfig(jsonString: config.jsonString())
    #expect(back == config)
    #expect(back.clipSamples == 12000)
  }

  @Test func featuresHaveInputSizeValuesForAnyLength() throws {
    let fe = try FrontEnd(config: .default)
    #expect(fe.inputSize == fe.frames * fe.coefficients)
    var rng = SystemRandomNumberGenerator()
    let short = (0..<7000).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
    #expect(fe.features(clip: short).count == fe.inputSize)
    #expect(fe.features(clip: short) == fe.features(clip: fe.fitClip(short)))
  }
}
