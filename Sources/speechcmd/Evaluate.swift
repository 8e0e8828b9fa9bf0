import ArgumentParser
import Foundation
import SpeechCommands

extension EvaluationSplit: ExpressibleByArgument {}

extension SpeechCmd {
  /// `speechcmd evaluate`: accuracy of a model on labelled recordings.
  struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "evaluate",
      abstract: "Score a model on labelled recordings: accuracy, per-class figures, confusion.",
      discussion: """
        The data is listed and split as training did (the model records its --words, shares, \
        split percentages and seed), so '--split test' on the training folder scores the same \
        test clips the training report did.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(
      name: .shortAndLong,
      help: ArgumentHelp(
        "Model file (default: $SPEECHCMD_MODEL, else the demo samples/model.safetensors).",
        valueName: "model.safetensors"))
    var model: String?

    @Argument(help: "Data folder (DATA/<label>/<files>).")
    var data: String?

    @Option(help: "CSV manifest 'path,label[,split]' instead of a DATA folder.")
    var manifest: String?

    @Option(help: "Which clips: test, validation, train or all.")
    var split: EvaluationSplit = .test

    @Option(help: "text or json (keys accuracy, classes, confusion, count).")
    var format: Format = .text

    @Option(help: "Most unreadable audio files to skip before giving up.")
    var maxUnreadable: Int = 10

    func validate() throws {
      if (data == nil) == (manifest == nil) {
        throw ValidationError("give either a DATA folder or --manifest FILE")
      }
      if maxUnreadable < 0 { throw ValidationError("--max-unreadable must not be negative") }
    }

    func run() throws {
      let source: DataSource = manifest.map { .manifest($0) } ?? .folder(data!)
      let modelPath = try FlagNames.mapping { try ModelLocator.resolve(explicit: model) }
      let result = try Evaluator.evaluate(
        modelPath: modelPath, data: source, split: split, maxUnreadable: maxUnreadable,
        warning: { LineOutput.warn("warning: \($0)") })
      print(
        format == .json ? result.json() : result.text(), terminator: format == .json ? "\n" : "")
    }
  }
}
