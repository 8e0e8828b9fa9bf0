import ArgumentParser
import SpeechCommands

/// `--model`, shared by `classify`, `listen` and `bench classify`.
struct ModelChoice: ParsableArguments {
  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Model file (default: $SPEECHCMD_MODEL, else the demo samples/model.safetensors).",
      valueName: "model.safetensors"))
  var model: String?

  /// Finds and loads the model.
  func load() throws -> Classifier {
    try FlagNames.mapping { try Classifier(modelAt: ModelLocator.resolve(explicit: model)) }
  }
}
