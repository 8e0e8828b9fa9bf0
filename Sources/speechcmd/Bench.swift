import ArgumentParser

extension SpeechCmd {
  struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "(not yet built)")
    func run() throws { throw ValidationError("'bench' is not built yet") }
  }
}
