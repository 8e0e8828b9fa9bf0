import Foundation
import SpeechCommands

/// A fresh folder under the temporary directory for the training tests, removed when released.
final class ScratchFolder: Sendable {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("SpeechCommandsTraining-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Creates `relative` (and its parents) holding `text`.
  func write(_ relative: String, _ text: String) throws {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try text.write(toFile: full, atomically: true, encoding: .utf8)
  }
}

/// Fixture JSON in this target's `Resources/`.
enum TrainingResources {
  static func data(_ name: String) throws -> Data {
    let url = Bundle.module.url(forResource: "Resources/" + name, withExtension: nil)!
    return try Data(contentsOf: url)
  }
}
