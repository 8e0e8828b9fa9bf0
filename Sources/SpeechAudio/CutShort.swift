/// A file whose header announces more audio than the file holds: a copy, download or recording
/// that stopped early. libsndfile decodes what is there (so the file still classifies), but the
/// answer is about part of the recording, which the user should hear of.
public struct CutShort: Sendable, Equatable, CustomStringConvertible {
  /// The file.
  public var path: String
  /// Seconds of audio the file holds.
  public var heldSeconds: Double
  /// Seconds of audio its header announces (more than `heldSeconds`).
  public var announcedSeconds: Double

  /// "'a.wav' is cut short: it holds 0.374 s of the 1.000 s its header announces …".
  public var description: String {
    "'\(path)' is cut short: it holds \(Self.seconds(heldSeconds)) s of the "
      + "\(Self.seconds(announcedSeconds)) s its header announces (a copy or download that stopped early?)"
  }

  /// Chunk sizes from here up are taken for "length unknown" placeholders, not announcements.
  static let placeholderBytes: Double = 0x7FFF_F000

  private static func seconds(_ value: Double) -> String {
    String(format: "%.3f", value)
  }

  /// The share of the announced audio data that a file holds, from libsndfile's log of reading
  /// its header: a chunk size line such as `data : 32000 (should be 11956)` (WAV, W64, RF64) or
  /// `SSND : 32008 (should be 11964)` (AIFF). Nil when the header's size is not larger than what
  /// is there (a recorder that never wrote the size leaves 0 or less, which is not a cut), or a
  /// placeholder of a writer that did not know the length (0xFFFFFFFF, 0x7FFFFFFF …).
  static func heldFraction(log: String) -> Double? {
    for line in log.split(separator: "\n") {
      let parts = line.split(separator: " ", omittingEmptySubsequences: true)
      // ["data", ":", "32000", "(should", "be", "11956)"]
      guard parts.count == 6, parts[0] == "data" || parts[0] == "SSND", parts[1] == ":",
        parts[3] == "(should", parts[4] == "be", parts[5].hasSuffix(")"),
        let announced = Double(parts[2]), let held = Double(parts[5].dropLast()),
        held >= 0, announced > held, announced < Self.placeholderBytes
      else { continue }
      return held / announced
    }
    return nil
  }
}
