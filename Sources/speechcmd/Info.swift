import ArgumentParser

extension SpeechCmd {
  struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "(not yet built)")
    func run() throws { throw ValidationError("'info' is not built yet") }
  }
}
