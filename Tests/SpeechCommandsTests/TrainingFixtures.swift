import Foundation
import SpeechCommands

/// Fixture JSON in this target's `Resources/`.
enum TrainingResources {
  static func data(_ name: String) throws -> Data {
    let url = Bundle.module.url(forResource: "Resources/" + name, withExtension: nil)!
    return try Data(contentsOf: url)
  }
}
