import Foundation
import SpeechAudio
import SpeechCommands

/// One `/api/listen` stream: raw 16-bit PCM in, score and detection messages out.
///
/// Does what `listen --rate R` does with the same samples (`StreamingResampler` to the model's
/// rate, then `SlidingWindowDetector` with `listen`'s options), so the detections and their times
/// are the same. Besides detections it reports the latest window's probabilities once per
/// `scoreInterval` seconds of audio (stream time, so a slow client or server never changes the
/// rate at which they are reported per second of audio). Frames may have any size, even odd byte
/// counts. Score messages fall on a grid of 100 ms ticks of stream time, at most one per tick
/// (none before the first window of audio is complete). Not thread-safe: one per WebSocket.
final class ListenStream {
  /// Seconds of audio between score messages: 0.1 (10 per second of audio).
  static let scoreInterval = 0.1

  private let detector: SlidingWindowDetector
  private let resampler: StreamingResampler
  private let labels: [String]
  private let modelRate: Double
  private var carry: UInt8?
  private var nextScoreTime = scoreInterval

  /// A stream of PCM at `rate` Hz for `classifier`; throws for a rate the resampler rejects or
  /// options `SlidingWindowDetector` rejects.
  init(classifier: Classifier, rate: Int, options: SlidingWindowDetector.Options) throws {
    detector = try SlidingWindowDetector(classifier: classifier, options: options)
    resampler = try StreamingResampler(from: rate, to: classifier.sampleRate)
    labels = classifier.labels
    modelRate = Double(classifier.sampleRate)
  }

  /// Feeds one binary frame (little-endian signed 16-bit mono) and returns the JSON messages due.
  func feed(_ frame: Data) throws -> [String] {
    var bytes = [UInt8](frame)
    if let first = carry {
      bytes.insert(first, at: 0)
      carry = nil
    }
    if bytes.count % 2 == 1 { carry = bytes.removeLast() }
    var samples = [Float](repeating: 0, count: bytes.count / 2)
    for i in samples.indices {
      samples[i] =
        Float(Int16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8)) / 32768
    }
    return messages(for: try resampler.process(samples, isLast: false))
  }

  /// Flushes the resampler's tail at the end of the stream (as `listen` does at end of input).
  func finish() throws -> [String] {
    messages(for: try resampler.process([], isLast: true))
  }

  /// Runs the detector over `samples` (model rate) and renders what it found.
  private func messages(for samples: [Float]) -> [String] {
    var out = detector.process(samples).map { detection in
      Self.json(
        ListenMessage(
          type: "detection", time: detection.time, label: detection.label, score: detection.score))
    }
    let now = Double(detector.samplesSeen) / modelRate
    if now >= nextScoreTime, !detector.latestScores.isEmpty {
      let scores = Dictionary(uniqueKeysWithValues: zip(labels, detector.latestScores))
      out.append(Self.json(ListenMessage(type: "scores", time: now, scores: scores)))
      while nextScoreTime <= now { nextScoreTime += Self.scoreInterval }
    }
    return out
  }

  static func json(_ message: ListenMessage) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: (try? encoder.encode(message)) ?? Data(), as: UTF8.self)
  }
}

/// A text frame of `/api/listen`: `{"type":"scores","time","scores"}` or
/// `{"type":"detection","time","label","score"}`; times in seconds from the stream's start
/// (a detection's is the start of its triggering window, as `listen` prints it).
struct ListenMessage: Codable, Equatable, Sendable {
  var type: String
  var time: Double
  var label: String? = nil
  var score: Float? = nil
  var scores: [String: Float]? = nil
}
