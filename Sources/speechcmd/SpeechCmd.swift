import ArgumentParser

/// The `speechcmd` command line: argument parsing and printing only; all work is in the libraries.
@main
struct SpeechCmd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "speechcmd",
    abstract: "Recognise spoken command words in audio files.",
    version: "0.1.0",
    subcommands: [
      Info.self, Features.self, Train.self, Evaluate.self, Classify.self, Listen.self, Bench.self,
      Serve.self,
    ]
  )
}
