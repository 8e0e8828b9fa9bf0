import ArgumentParser

extension SpeechCmd {
  struct Listen: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listen", abstract: "(not yet built)")
    func run() throws { throw ValidationError("'listen' is not built yet") }
  }
}
