import Foundation
import SpeechAudio

/// A request body written to a private temporary file for the length of one call.
enum UploadFile {
  /// Most seconds of audio an upload may hold. A few hundred kilobytes of FLAC can hold hours
  /// (silence compresses to nothing), which would decode to gigabytes; classifying uses one
  /// clip and a recorded take is a second or two.
  static let maxSeconds = 60.0

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
    }
    return try body(path)
  }

  /// `message` with the temporary file's name `path` replaced by "the upload".
  static func naming(_ message: String, _ path: String) -> String {
    message.replacingOccurrences(of: "'\(path)'", with: "the upload")
      .replacingOccurrences(of: path, with: "the upload")
  }
}
