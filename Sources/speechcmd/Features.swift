import ArgumentParser

extension SpeechCmd {
  struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "features", abstract: "(not yet built)")
    func run() throws { throw ValidationError("'features' is not built yet") }
  }
}
