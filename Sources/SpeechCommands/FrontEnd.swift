import Foundation
import SpeechFeatures

/// Everything needed to turn audio into the model's input vector.
///
/// Stored as JSON in a model's `metadata.featureConfig`, so `classify` and `listen` reproduce the
/// features training saw exactly (same MFCC settings, same clip length, same padding rule).
public struct FrontEndConfig: Codable, Sendable, Hashable {
  /// The MFCC settings; `mfcc.sampleRate` is the rate audio is decoded at. Default `.default`.
  public var mfcc: MFCCConfig
  /// Length of one clip in seconds; every recording is padded or cropped to it. Default 1.0.
  public var clipSeconds: Double

  /// Creates a configuration; the defaults are the product's training defaults.
  public init(mfcc: MFCCConfig = .default, clipSeconds: Double = 1.0) {
    self.mfcc = mfcc
    self.clipSeconds = clipSeconds
  }

  /// The product's default front end: the `default` MFCC preset on 1 s clips.
  public static let `default` = FrontEndConfig()

  /// Sample rate in Hz audio is decoded and analysed at (the MFCC configuration's rate).
  public var sampleRate: Int { mfcc.sampleRate }

  /// Samples in one clip: `clipSeconds × sampleRate`, rounded to the nearest sample.
  public var clipSamples: Int { max(1, Int((clipSeconds * Double(sampleRate)).rounded())) }

  /// The compact JSON stored in `ModelMetadata.featureConfig` (keys sorted, so it is stable).
  public func jsonString() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  /// Decodes the JSON written by `jsonString()`.
  public init(jsonString: String) throws {
    self = try JSONDecoder().decode(FrontEndConfig.self, from: Data(jsonString.utf8))
  }
}

/// Turns decoded audio into the flattened, un-normalised feature vector the network reads.
///
/// Thread-safe: the MFCC plans are built once in `init`, and `fitClip`/`features` may be called
/// from many threads at once (training extracts features on all cores).
public struct FrontEnd: Sendable {
  /// The configuration this front end was built from.
  public let config: FrontEndConfig
  private let mfcc: MFCC
  /// MFCC frames in one clip.
  public let frames: Int
  /// Coefficients per frame (including deltas when the MFCC configuration asks for them).
  public let coefficients: Int

  /// Builds the MFCC plans for `config`; throws when the MFCC configuration is invalid.
  public init(config: FrontEndConfig = .default) throws {
    self.config = config
    self.mfcc = try MFCC(config: config.mfcc)
    self.frames = mfcc.frameCount(samples: config.clipSamples)
    self.coefficients = mfcc.coefficientsPerFrame
  }

  /// Length of the feature vector of one clip: `frames × coefficients`.
  public var inputSize: Int { frames * coefficients }

  /// Pads or crops `samples` to exactly `config.clipSamples`, keeping the loudest part.
  ///
  /// - A longer recording is cropped to the clip-length window with the most energy (sum of
  ///   squares; the earliest such window on ties), so a word inside a longer take is kept whole.
  /// - A shorter recording is centred, with zeros on both sides (one more zero after than
  ///   before when the padding is odd). Trimmed recordings such as FSDD's thus sit in the middle
  ///   of the clip, where `speechcmd listen`'s windows also put a word.
  public func fitClip(_ samples: [Float]) -> [Float] {
    Self.fitClip(samples, length: config.clipSamples)
  }

  /// The rule behind `fitClip(_:)` for any `length`; O(samples).
  public static func fitClip(_ samples: [Float], length: Int) -> [Float] {
    let n = samples.count
    if n == length { return samples }
    if n < length {
      let before = (length - n) / 2
      var out = [Float](repeating: 0, count: length)
      out.replaceSubrange(before..<(before + n), with: samples)
      return out
    }
    // Sliding window energy in Double so long recordings do not lose precision.
    var energy = 0.0
    for i in 0..<length { energy += Double(samples[i]) * Double(samples[i]) }
    var best = energy
    var bestStart = 0
    for start in 1...(n - length) {
      let leaving = Double(samples[start - 1])
      let entering = Double(samples[start + length - 1])
      energy += entering * entering - leaving * leaving
      if energy > best + 1e-9 * max(1, best) {
        best = energy
        bestStart = start
      }
    }
    return Array(samples[bestStart..<(bestStart + length)])
  }

  /// The flattened MFCC (frames × coefficients, row-major) of one clip.
  ///
  /// `clip` should hold exactly `config.clipSamples` samples; any other length is first passed
  /// through `fitClip(_:)`, so the result always has `inputSize` values.
  public func features(clip: [Float]) -> [Float] {
    let fitted = clip.count == config.clipSamples ? clip : fitClip(clip)
    let matrix = mfcc.compute(fitted)
    return matrix.values
  }
}
