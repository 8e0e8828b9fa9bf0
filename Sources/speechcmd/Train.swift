import ArgumentParser

extension SpeechCmd {
  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "(not yet built)")
    func run() throws { throw ValidationError("'train' is not built yet") }
  }
}
