import Foundation
import SpeechCommands
import SpeechModel
import SpeechTestSupport

/// One synthetic-words model for the classify/listen tests, trained once per test process.
enum SyntheticFixture {
  /// The trained model (a few seconds in a debug build).
  static let model: ModelFile = {
    do { return try SyntheticWords.trainModel() } catch { fatalError("training failed: \(error)") }
  }()

  /// A classifier over `model`.
  static let classifier: Classifier = {
    do { return try Classifier(model: model) } catch { fatalError("bad model: \(error)") }
  }()

  /// `model` with every weight and bias zero: every label gets probability 1/5 whatever the input.
  static let uniform: Classifier = {
    do { return try Classifier(model: zeroed(model)) } catch { fatalError("bad model: \(error)") }
  }()

  /// `model` with all parameters set to zero.
  static func zeroed(_ model: ModelFile) -> ModelFile {
    var copy = model
    let n = model.network
    copy.network = MLP(
      inputSize: n.inputSize, hidden: n.hidden, outputSize: n.outputSize,
      parameters: [Float](repeating: 0, count: n.parameterCount))
    return copy
  }

  /// `SyntheticWords.clip` at the model's rate.
  static func clip(_ label: String, using rng: inout some RandomNumberGenerator) -> [Float] {
    SyntheticWords.clip(label, sampleRate: classifier.sampleRate, using: &rng)
  }
}
