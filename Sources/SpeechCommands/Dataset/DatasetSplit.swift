import Foundation

/// Which part of a dataset a recording belongs to.
public enum DatasetSplit: String, Codable, Sendable, CaseIterable, Comparable {
  case train, validation, test

  /// Parses the names used in manifests and on the command line (`testing`, `training`, `val`
  /// and `dev` accepted as synonyms, case-insensitive).
  public init?(name: String) {
    switch name.trimmingCharacters(in: .whitespaces).lowercased() {
    case "train", "training": self = .train
    case "validation", "valid", "val", "dev": self = .validation
    case "test", "testing": self = .test
    default: return nil
    }
  }

  public static func < (a: DatasetSplit, b: DatasetSplit) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// TensorFlow's `which_set` rule from `speech_commands/input_data.py`, reproduced exactly.
///
/// The file name with everything from `_nohash_` on removed is hashed with SHA-1; the digest, read
/// as a big integer, modulo 2^27 and scaled to [0, 100] picks the split. All takes of one speaker
/// (`<speaker>_nohash_<n>.wav`) therefore land in the same split, and a file keeps its split when
/// the dataset grows.
public struct HashSplitRule: Sendable, Hashable, Codable {
  /// Percentage of recordings sent to validation. Default 10.
  public var validationPercent: Double
  /// Percentage of recordings sent to test. Default 10.
  public var testPercent: Double

  /// TensorFlow's constant: `MAX_NUM_WAVS_PER_CLASS = 2**27 - 1`.
  static let maxWavsPerClass: UInt64 = (1 << 27) - 1

  /// A rule with the given percentages (each 0...100, summing to at most 100).
  public init(validationPercent: Double = 10, testPercent: Double = 10) {
    self.validationPercent = validationPercent
    self.testPercent = testPercent
  }

  /// The name that is hashed: the base name with `_nohash_` and what follows removed.
  public static func hashName(of fileName: String) -> String {
    let base = PathName.lastComponent(of: fileName)
    if let range = base.range(of: "_nohash_") { return String(base[..<range.lowerBound]) }
    return base
  }

  /// The percentage in [0, 100] TensorFlow computes for `fileName`.
  public static func percentageHash(of fileName: String) -> Double {
    let digest = SHA1.digest(Array(hashName(of: fileName).utf8))
    // int(hex, 16) % 2^27 keeps the low 27 bits of the big-endian digest.
    var low: UInt64 = 0
    for byte in digest[16..<20] { low = low << 8 | UInt64(byte) }
    low &= maxWavsPerClass
    return Double(low) * (100.0 / Double(maxWavsPerClass))
  }

  /// The split of `fileName`.
  public func split(of fileName: String) -> DatasetSplit {
    let p = Self.percentageHash(of: fileName)
    if p < validationPercent { return .validation }
    if p < validationPercent + testPercent { return .test }
    return .train
  }
}
