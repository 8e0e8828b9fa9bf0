import ArgumentParser
import Foundation
import SpeechCommands

extension SpeechCmd {
  /// `speechcmd serve`: replaces this process with `speechcmd-serve`, the executable beside it,
  /// so the server's code never loads with the other commands.
  struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "serve",
      abstract: "Serve a web page to talk to a model, classify files, record words and retrain.",
      discussion: """
        Options: [--model M] [--data DIR] [--host 127.0.0.1] [--port 8080] [--max-upload-mb 10]; \
        'speechcmd serve --help' lists them. Runs the speechcmd-serve executable installed \
        beside speechcmd.
        """)

    @Argument(parsing: .allUnrecognized, help: "Options for speechcmd-serve.")
    var options: [String] = []

    func run() throws {
      let folder = PathName.parent(of: executablePath())
      let server = folder + "/speechcmd-serve"
      guard FileManager.default.isExecutableFile(atPath: server) else {
        throw ValidationError(
          "'\(server)' is missing: build it with 'swift build --product speechcmd-serve'")
      }
      let arguments = [server] + options
      var argv = arguments.map { strdup($0) } + [nil]
      execv(server, &argv)
      throw ValidationError("cannot run '\(server)': \(String(cString: strerror(errno)))")
    }
  }
}

/// The path of the running executable (`/proc/self/exe` on Linux).
func executablePath() -> String {
  (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    ?? CommandLine.arguments[0]
}
