import ArgumentParser
import Dispatch
import Foundation
import SpeechCommands
import SpeechServer

/// `speechcmd serve` (exec'd by `speechcmd`, or run directly): the page and HTTP API.
@main
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "speechcmd serve",
    abstract: "Serve a web page to talk to a model, classify files, record words and retrain.",
    discussion: """
      Open the printed address in a browser. Binds 127.0.0.1 (this machine only) unless --host \
      says otherwise; requests naming another Host, and cross-site POST/DELETE/WebSocket \
      requests, are refused. Ctrl-C stops the server.
      """)

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Model file (default: $SPEECHCMD_MODEL, else the demo samples/model.safetensors).",
      valueName: "model.safetensors"))
  var model: String?

  @Option(
    help: "Folder for recordings made in the page (WORD/SPEAKER_nohash_N.wav) and retrained models."
  )
  var data: String = "recordings"

  @Option(help: "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).")
  var host: String = "127.0.0.1"

  @Option(help: "TCP port (0: any free port).")
  var port: Int = 8080

  @Option(help: "Largest upload accepted, in megabytes.")
  var maxUploadMb: Double = 10

  func validate() throws {
    if !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
    if !(maxUploadMb > 0 && maxUploadMb <= 1024) {
      throw ValidationError("--max-upload-mb must be above 0 and at most 1024")
    }
  }

  func run() async throws {
    let path = try ModelLocator.resolve(explicit: model)
    var options = ServerOptions(modelPath: path)
    options.host = host
    options.port = UInt16(port)
    options.dataFolder = data
    options.maxUploadBytes = Int(maxUploadMb * 1_048_576)
    let server = try await SpeechServer(options: options)
    if !options.isLoopback {  // said once it listens: an address it cannot bind gets only its error
      FileHandle.standardError.write(
        Data(
          "warning: listening on \(host): anyone who can reach this address can use the page, record and retrain (see README, 'Reaching it from another machine')\n"
            .utf8))
    }
    let shown = host.contains(":") ? "[\(host)]" : host
    FileHandle.standardError.write(Data("http://\(shown):\(await server.port)/\n".utf8))
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let stops = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0) }
    for source in stops {
      source.setEventHandler {
        Task { await server.stop() }
        // Connections that do not close (a stuck client) must not keep the process alive.
        DispatchQueue.global().asyncAfter(deadline: .now() + 3) { Foundation.exit(0) }
      }
      source.resume()
    }
    await server.wait()
    // The sources must live until the server stops: an optimised build released them after the
    // loop above (their last use), which cancelled them, and Ctrl-C and SIGTERM did nothing.
    withExtendedLifetime(stops) {}
  }
}
