import Foundation
import SpeechAudio

/// A request body written to a private temporary file for the length of one call.
enum UploadFile {
  /// Most seconds of audio an upload may hold. A few hundred kilobytes of FLAC can hold hours
  /// (silence compresses to nothing), which would decode to gigabytes; classifying uses one
  /// clip and a recorded take is a second or two.
  static let maxSeconds = 60.0

  /// Most samples (frames × channels) an upload may hold: 60 s of 48 kHz stereo. Seconds alone
  /// let 59 s of 192 kHz 8-channel FLAC (114 KB) through, which took 12–19 s of CPU to decode.
  static let maxSamples = 60 * 48_000 * 2

  /// Writes `bytes` to a new file in the system's temporary folder, runs `body` with its path,
  /// and removes it. Audio whose header says it lasts over `maxSeconds` is 413 before anything
  /// decodes it (undecodable bytes are left to `body`, whose decoder names the problem).
  static func with<T>(_ bytes: Data, _ body: (String) throws(APIError) -> T) throws(APIError) -> T {
    let path = NSTemporaryDirectory() + "/speechcmd-upload-\(UUID().uuidString)"
    guard
      FileManager.default.createFile(
        atPath: path, contents: bytes, attributes: [.posixPermissions: 0o600])
    else { throw APIError(500, "cannot store the upload in \(NSTemporaryDirectory())") }
    defer { try? FileManager.default.removeItem(atPath: path) }
    if let info = try? AudioFile.info(at: path), info.sampleRate > 0 {
      let seconds = Double(info.frames) / Double(info.sampleRate)
      if seconds > maxSeconds {
        throw APIError(
          413,
          String(format: "the upload holds %.0f s of audio; at most %.0f s", seconds, maxSeconds))
      }
      let samples = Double(info.frames) * Double(info.channels)
      if samples > Double(maxSamples) {
        throw APIError(
          413,
          "the upload holds \(info.channels) channels at \(info.sampleRate) Hz, "
            + String(format: "%.0f", samples)
            + " samples; at most \(maxSamples) (60 s of 48 kHz stereo)")
      }
    }
    return try body(path)
  }

  /// `message` with the temporary file's name `path` replaced by "the upload".
  static func naming(_ message: String, _ path: String) -> String {
    message.replacingOccurrences(of: "'\(path)'", with: "the upload")
      .replacingOccurrences(of: path, with: "the upload")
  }
}
