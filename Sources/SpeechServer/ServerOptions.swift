import Foundation
import HTTPHead

/// What `speechcmd serve` was asked for.
public struct ServerOptions: Sendable, Equatable {
  /// Address to bind: "127.0.0.1" (default, this machine only), "::1", or another interface.
  public var host: String = "127.0.0.1"
  /// TCP port; 0 picks a free one (tests), reported by `SpeechServer.port`. Default 8080.
  public var port: UInt16 = 8080
  /// The model served at start (a .safetensors file).
  public var modelPath: String
  /// Where recordings made in the page go (`WORD/SPEAKER_nohash_N.wav`) and where retrained
  /// models are written. Default `./recordings`.
  public var dataFolder: String = "recordings"
  /// Largest request body accepted, in bytes (`--max-upload-mb`, default 10 MB); larger is 413.
  public var maxUploadBytes: Int = 10 << 20
  /// How long and how slowly a request head may come (tests shorten the time).
  var headLimits = HeadLimits()
  /// Connections served at once (each holds a thread of the gate); more are answered 503.
  var maxConnections = 256

  /// Options serving `modelPath` with the defaults above.
  public init(modelPath: String) {
    self.modelPath = modelPath
  }

  /// Whether `host` is a loopback address (the only kind that is safe without a firewall).
  public var isLoopback: Bool {
    ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
  }
}
