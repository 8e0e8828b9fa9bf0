import ArgumentParser

extension SpeechCmd {
  struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "(not yet built)")
    func run() throws { throw ValidationError("'classify' is not built yet") }
  }
}
