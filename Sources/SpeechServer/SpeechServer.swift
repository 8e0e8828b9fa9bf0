import FlyingFox
import FlyingSocks
import Foundation
import HTTPHead
import SpeechModel

/// `speechcmd serve`: the page and the HTTP API over one model and one data folder.
///
/// `start()` binds and begins serving in a background task and returns once listening; `port` is
/// then the bound port (useful with port 0). `stop()` closes the socket and the connections.
/// Clients reach the HTTP server through a `HeadGate`, which bounds request heads.
public final class SpeechServer: Sendable {
  /// The settings it was started with.
  public let options: ServerOptions
  private let server: HTTPServer
  private let gate: HeadGate
  private let task: Task<Void, any Error>

  /// The router behind the server, for in-process tests (no sockets).
  let router: APIRouter

  /// Loads the model and the page, binds `options.host:options.port` and starts serving.
  ///
  /// Throws `ServerError` for an unusable model, data folder, page or address.
  public init(options: ServerOptions) async throws(ServerError) {
    self.options = options
    LinearAlgebra.setThreadCount(1)
    let backend = "speechcmd-serve-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    let gate = try HeadGate(
      host: options.host, port: options.port, backend: backend, limits: options.headLimits,
      maxConnections: options.maxConnections)
    do {
      let router = try Self.makeRouter(options: options, port: gate.port)
      let server = HTTPServer(
        address: sockaddr_un.unix(abstractNamespace: backend), timeout: 60, logger: .disabled,
        handler: router)
      self.router = router
      self.server = server
      self.gate = gate
      let running = Task { try await server.run() }
      task = running
      try await Self.waitUntilListening(server, running: running)
      gate.start()
    } catch {
      gate.stop()
      if let error = error as? ServerError { throw error }
      throw .cannotListen(host: options.host, port: options.port, reason: Self.reason(error))
    }
  }

  /// Returns once `server` listens, or throws what ended `running` first. The time limit is
  /// generous because a process whose cooperative threads are all busy (a parallel test run on
  /// two cores) may take tens of seconds to schedule the server's first steps.
  private static func waitUntilListening(_ server: HTTPServer, running: Task<Void, any Error>)
    async throws
  {
    let listening = Task { try await server.waitUntilListening(timeout: 600) }
    // Ends when the server stops (cancelling it would not end its wait); by then the wait is over.
    Task {
      _ = await running.result
      listening.cancel()
    }
    do {
      try await listening.value
    } catch is CancellationError {
      // Only the watcher cancels the wait, once `running` has ended: its failure is the reason.
      if case .failure(let failure) = await running.result { throw failure }
      throw SocketError.disconnected
    }
  }

  /// The system's words for a socket failure ("Address already in use"), or the error itself.
  private static func reason(_ error: any Error) -> String {
    if case SocketError.failed(_, _, let message) = error { return message }
    return "\(error)"
  }

  /// The port the server listens on.
  public var port: UInt16 {
    get async { gate.port }
  }

  /// Stops listening and closes every connection.
  public func stop() async {
    gate.stop()
    await server.stop(timeout: 1)
    task.cancel()
  }

  /// Waits until the server stops.
  public func wait() async {
    _ = await task.result
  }

  /// The router for `options`, with the `RequestGuard` for `port`.
  static func makeRouter(options: ServerOptions, port: UInt16) throws(ServerError) -> APIRouter {
    let models: ModelStore
    do {
      models = try ModelStore(path: options.modelPath)
    } catch {
      throw .model("\(error)")
    }
    do {
      let recordings = try RecordingStore(folder: options.dataFolder)
      return APIRouter(
        guardian: RequestGuard(host: options.host, port: port),
        assets: try PageAssets.load(),
        models: models, recordings: recordings,
        training: TrainingRunner(models: models, recordings: recordings),
        maxUploadBytes: options.maxUploadBytes)
    } catch {
      throw .setup(error.message)
    }
  }
}

/// Why the server could not start.
public enum ServerError: Error, Equatable, CustomStringConvertible {
  /// The model cannot be served (the loader's one-line reason, naming the file).
  case model(String)
  /// The data folder or the page's files are unusable.
  case setup(String)
  /// The address cannot be bound.
  case cannotListen(host: String, port: UInt16, reason: String)

  public var description: String {
    switch self {
    case .model(let reason), .setup(let reason): return reason
    case .cannotListen(let host, let port, let reason):
      return "cannot listen on \(host):\(port): \(reason)"
    }
  }
}
