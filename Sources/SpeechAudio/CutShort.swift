/// A file whose header announces more audio than the file holds, or a stream that stops before
/// its end (an OGG file without its last page, whose length libsndfile cannot tell): a copy,
/// download or recording that stopped early. libsndfile decodes what is there (so the file still
/// classifies), but the answer is about part of the recording, which the user should hear of.
public struct CutShort: Sendable, Equatable, CustomStringConvertible {
  /// The file.
  public var path: String
  /// Seconds of audio the file holds.
  public var heldSeconds: Double
  /// Seconds of audio its header announces (more than `heldSeconds`); nil for a stream that
  /// announces no length and stops before its end.
  public var announcedSeconds: Double?

  /// Creates a report.
  public init(path: String, heldSeconds: Double, announcedSeconds: Double?) {
    self.path = path
    self.heldSeconds = heldSeconds
    self.announcedSeconds = announcedSeconds
  }

  /// "'a.wav' is cut short: it holds 0.374 s of the 1.000 s its header announces …", or for a
  /// stream without its end "'a.ogg' is cut short: it holds 0.374 s and stops before its end …".
  public var description: String {
    let held = Self.seconds(heldSeconds)
    let what =
      announcedSeconds.map { "\(held) s of the \(Self.seconds($0)) s its header announces" }
      ?? "\(held) s and stops before its end"
    return "'\(path)' is cut short: it holds \(what) (a copy or download that stopped early?)"
  }

  /// Chunk sizes from here up are taken for "length unknown" placeholders, not announcements.
  static let placeholderBytes: Double = 0x7FFF_F000

  private static func seconds(_ value: Double) -> String {
    String(format: "%.3f", value)
  }

  /// The share of the announced audio data that a file holds, from libsndfile's log of reading
  /// its header: a data size line such as `data : 32000 (should be 11956)` (WAV, W64, RF64),
  /// `SSND : 32008 (should be 11964)` (AIFF) or `Data Size : 32000 (should be 16)` (AU). Nil when
  /// the header's size is not larger than what is there (a recorder that never wrote the size
  /// leaves 0 or less, which is not a cut), or a placeholder of a writer that did not know the
  /// length (0xFFFFFFFF, 0x7FFFFFFF …).
  static func heldFraction(log: String) -> Double? {
    for line in log.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].split(separator: " ", omittingEmptySubsequences: true)
      let parts = line[line.index(after: colon)...].split(
        separator: " ", omittingEmptySubsequences: true)
      // key ["data"], ["SSND"] or ["Data", "Size"]; parts ["32000", "(should", "be", "11956)"]
      guard key == ["data"] || key == ["SSND"] || key == ["Data", "Size"], parts.count == 4,
        parts[1] == "(should", parts[2] == "be", parts[3].hasSuffix(")"),
        let announced = Double(parts[0]), let held = Double(parts[3].dropLast()),
        held >= 0, announced > held, announced < Self.placeholderBytes
      else { continue }
      return held / announced
    }
    return nil
  }
}
