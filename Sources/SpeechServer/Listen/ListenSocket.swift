import FlyingFox
import Foundation
import SpeechCommands

/// The WebSocket side of `/api/listen`: binary frames are PCM, the text frame `{"type":"end"}`
/// ends the stream (the tail is flushed, the last messages sent, then the socket closed).
///
/// Each socket gets its own `ListenStream`, created inside the socket's task (it is not
/// thread-safe), over the model that was served when the socket opened.
/// A socket's `ListenStream` as the pool sees it: it is not thread-safe, but one frame is fed
/// at a time, each awaited before the next message is read, so calls never overlap.
private final class StreamOnPool: @unchecked Sendable {
  private let stream: ListenStream
  init(_ stream: ListenStream) { self.stream = stream }
  func feed(_ frame: Data) throws -> [String] { try stream.feed(frame) }
  func finish() throws -> [String] { try stream.finish() }
}

struct ListenSocket: WSMessageHandler {
  /// The model when the socket opened.
  let classifier: Classifier
  /// The client's sample rate in Hz (validated before the upgrade).
  let rate: Int
  /// `listen`'s options, with the client's threshold if it gave one.
  let options: SlidingWindowDetector.Options

  func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
    let (classifier, rate, options) = (self.classifier, self.rate, self.options)
    return AsyncStream { continuation in
      let task = Task {
        do {
          let stream = StreamOnPool(
            try ListenStream(classifier: classifier, rate: rate, options: options))
          loop: for await message in client {
            switch message {
            case .data(let frame):
              // Scored on Dispatch's pool: two streams scoring on the cooperative threads held
              // up every other request for half a minute.
              let texts = try await offload { () throws -> [String] in try stream.feed(frame) }
              for text in texts { continuation.yield(.text(text)) }
            case .text(let text) where text.contains("\"end\""):
              let texts = try await offload { () throws -> [String] in try stream.finish() }
              for text in texts { continuation.yield(.text(text)) }
              continuation.yield(.close(.normalClosure))
              break loop
            case .text, .close:
              continue
            }
          }
        } catch {
          let reply = ["type": "error", "error": "\(error)"]
          if let data = try? JSONEncoder().encode(reply) {
            continuation.yield(.text(String(decoding: data, as: UTF8.self)))
          }
          continuation.yield(.close(.protocolError))
        }
        continuation.finish()
      }
      continuation.onTermination = { _ in task.cancel() }
    }
  }
}
