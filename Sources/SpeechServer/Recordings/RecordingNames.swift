import Foundation

/// The names the recordings API accepts, so no request can reach outside the data folder.
///
/// Words: 1–32 of `a-z 0-9 _ -`, starting with a letter or digit (so never hidden, never a
/// reserved `_unknown_`/`_silence_`/`_background_noise_` folder, never `..`). Speakers: 1–32 of
/// `A-Z a-z 0-9 -` (no `_`, which would break the `SPEAKER_nohash_N` split rule). Files: exactly
/// `SPEAKER_nohash_N.wav`, as this server writes them.
enum RecordingNames {
  /// Throws 400 unless `word` is an acceptable label.
  static func checkWord(_ word: String) throws(APIError) {
    guard (1...32).contains(word.count), let first = word.unicodeScalars.first,
      isLowerAlphanumeric(first),
      word.unicodeScalars.allSatisfy({ isLowerAlphanumeric($0) || $0 == "_" || $0 == "-" })
    else {
      throw .badRequest(
        "label '\(word)' is not allowed: use 1-32 of a-z, 0-9, '_' and '-', starting with a letter or digit"
      )
    }
  }

  /// Throws 400 unless `speaker` is an acceptable speaker name.
  static func checkSpeaker(_ speaker: String) throws(APIError) {
    guard (1...32).contains(speaker.count),
      speaker.unicodeScalars.allSatisfy({ isAlphanumeric($0) || $0 == "-" })
    else {
      throw .badRequest("speaker '\(speaker)' is not allowed: use 1-32 of A-Z, a-z, 0-9 and '-'")
    }
  }

  /// The speaker and take number of a file name this server writes, or nil.
  static func parseFile(_ name: String) -> (speaker: String, take: Int)? {
    guard name.hasSuffix(".wav") else { return nil }
    let stem = name.dropLast(4)
    let parts = stem.components(separatedBy: "_nohash_")
    guard parts.count == 2, let take = Int(parts[1]), take >= 0, String(take) == parts[1],
      (try? checkSpeaker(parts[0])) != nil
    else { return nil }
    return (parts[0], take)
  }

  /// The file name of `speaker`'s take `take`.
  static func fileName(speaker: String, take: Int) -> String { "\(speaker)_nohash_\(take).wav" }

  private static func isLowerAlphanumeric(_ c: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(c) || ("0"..."9").contains(c)
  }

  private static func isAlphanumeric(_ c: Unicode.Scalar) -> Bool {
    isLowerAlphanumeric(c) || ("A"..."Z").contains(c)
  }
}
