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
        'speechcmd-serve --help' explains them. Runs the speechcmd-serve executable beside \
        speechcmd (build it with 'swift build -c release --product speechcmd-serve').
        """)

    @Argument(parsing: .allUnrecognized, help: "Options for speechcmd-serve.")
    var options: [String] = []

    func run() throws {
      let folder = PathName.parent(of: executablePath())
      let server = folder + "/speechcmd-serve"
      guard FileManager.default.isExecutableFile(atPath: server) else {
        // Not a usage error: the program is incomplete (exit 1, as for other errors).
        LineOutput.warn(
          "error: '\(server)' is missing: build it with '\(Self.buildCommand(besideFolder: folder))'")
        throw ExitCode(1)
      }
      let arguments = [server] + options
      var argv = arguments.map { strdup($0) } + [nil]
      execv(server, &argv)
      throw ValidationError("cannot run '\(server)': \(String(cString: strerror(errno)))")
    }
  }
}

extension SpeechCmd.Serve {
  /// The `swift build` command that puts `speechcmd-serve` in `folder` (SwiftPM's `release` or
  /// `debug` bin folder, else the release one).
  static func buildCommand(besideFolder folder: String) -> String {
    let debug = PathName.lastComponent(of: folder) == "debug"
    return "swift build \(debug ? "" : "-c release ")--product speechcmd-serve"
  }
}

/// The path of the running executable (`/proc/self/exe` on Linux).
func executablePath() -> String {
  (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    ?? CommandLine.arguments[0]
}
