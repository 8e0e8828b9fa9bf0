import Foundation

/// Background noise at a chosen signal-to-noise ratio, instead of at a raw volume: a quiet take
/// and a loud take of a word then get noise of the same relative strength.
public struct NoiseSNROptions: Sendable, Hashable, Codable {
  /// Lowest signal-to-noise ratio in dB (most noise).
  public var minimumDB: Double
  /// Highest signal-to-noise ratio in dB (least noise).
  public var maximumDB: Double

  public init(minimumDB: Double, maximumDB: Double) {
    self.minimumDB = minimumDB
    self.maximumDB = maximumDB
  }

  /// The factor on `noise` that puts it `snrDB` below `clip`: the ratio of the mean squares of
  /// `clip` and of the scaled noise is 10^(snrDB/10). 0 when either is silent.
  public static func scale(clip: [Float], noise: [Float], snrDB: Double) -> Float {
    let signal = meanSquare(clip)
    let power = meanSquare(noise)
    guard signal > 0, power > 0 else { return 0 }
    return Float((signal / (power * pow(10, snrDB / 10))).squareRoot())
  }

  /// Mean of the squared samples, in Double.
  static func meanSquare(_ x: [Float]) -> Double {
    x.isEmpty ? 0 : x.reduce(0) { $0 + Double($1) * Double($1) } / Double(x.count)
  }
}
