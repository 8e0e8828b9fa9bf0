import Foundation
import SpeechAudio
import SpeechModel

/// Where `listen` reads audio from.
public enum ListenInput: Sendable, Equatable {
  /// An audio file of any format libsndfile reads, streamed in blocks (constant memory).
  case file(String)
  /// Raw signed 16-bit little-endian mono PCM at `sampleRate` Hz (nil: 16000) from a file
  /// descriptor (standard input is 0), as `arecord -t raw -f S16_LE -c 1` writes it; or a
  /// 16-bit WAV stream, read at its header's rate and channels (`WAVStreamHeader`), which must
  /// agree with a `sampleRate` given.
  case rawPCM(fileDescriptor: Int32, sampleRate: Int?)
}

/// Runs a `SlidingWindowDetector` over an input until it ends.
public enum ListenInputLoop {
  /// Samples per block when streaming a file (about 1 s at 16 kHz: large enough to batch the
  /// network, small enough that the first detections come out at once).
  public static let fileBlockFrames = 16384

  /// Feeds all of `input` to `detector`, calling `onDetection` as soon as each word is found;
  /// returns the number of seconds of audio processed.
  ///
  /// Raw PCM at another rate than the model's is converted with a `StreamingResampler`. Raw PCM is
  /// read as it arrives (a `read` returns whatever a pipe holds), so a live microphone is decoded
  /// with about 0.1 s of delay. OpenBLAS runs on one thread meanwhile (one window batch at a
  /// time is too small for its threads). Throws `AudioError` for an unreadable file,
  /// `ListenError` for a failed read of the descriptor, and whatever `onDetection` throws.
  /// `onNotice` hears, after the input ends, a one-line warning about a file that did not stop
  /// it (cut short: `CutShort`), about raw PCM that ends inside a sample, and about an input
  /// too short to decide anything.
  @discardableResult
  public static func run(
    _ input: ListenInput, detector: SlidingWindowDetector,
    onNotice: (String) -> Void = { _ in }, onDetection: (Detection) throws -> Void
  ) throws -> Double {
    try LinearAlgebra.withThreadCount(1) { () throws -> Double in
      try feed(input, to: detector, onNotice: onNotice, onDetection: onDetection)
    }
  }

  private static func feed(
    _ input: ListenInput, to detector: SlidingWindowDetector, onNotice: (String) -> Void,
    onDetection: (Detection) throws -> Void
  ) throws -> Double {
    let rate = detector.classifier.sampleRate
    switch input {
    case .file(let path):
      let cutShort = try AudioFile.forEachBlock(
        at: path, sampleRate: rate, blockFrames: fileBlockFrames
      ) { block in
        for detection in detector.process(block) { try onDetection(detection) }
      }
      if let cutShort { onNotice("\(cutShort)") }
    case .rawPCM(let descriptor, let givenRate):
      let (header, pending) = try WAVStreamHeader.read(from: descriptor)
      if let header, let givenRate, givenRate != header.sampleRate {
        throw ListenError.unsupportedInput(
          "standard input is a WAV at \(header.sampleRate) Hz, but --rate says \(givenRate): "
            + "leave --rate out (a WAV's rate is in its header)")
      }
      let inputRate = header?.sampleRate ?? givenRate ?? 16000
      let channels = header?.channels ?? 1
      let resampler = try StreamingResampler(from: inputRate, to: rate)
      let reader = PCMReader(
        fileDescriptor: descriptor, bytesPerRead: max(2, inputRate / 10) * 2 * channels,
        pending: pending, channels: channels, limit: header?.dataBytes)
      while let block = try reader.next() {
        let samples = try resampler.process(block, isLast: false)
        for detection in detector.process(samples) { try onDetection(detection) }
      }
      let tail = try resampler.process([], isLast: true)
      for detection in detector.process(tail) { try onDetection(detection) }
      if channels == 1 && reader.droppedBytes == 1 {
        onNotice("the input ended inside a 16-bit sample: its last byte was dropped")
      } else if reader.endedInsideASample {
        let bytes = reader.droppedBytes == 1 ? "byte was" : "\(reader.droppedBytes) bytes were"
        onNotice(
          "the input ended inside a frame of \(channels) 16-bit samples: its last \(bytes) "
            + "dropped")
      }
      if let announced = header?.dataBytes, let left = reader.unreadBytes, left > 0 {
        let seconds = { (bytes: UInt64) in
          String(format: "%.3f", Double(bytes) / Double(2 * channels * inputRate))
        }
        onNotice(
          "standard input is cut short: it holds \(seconds(announced - left)) s of the "
            + "\(seconds(announced)) s its WAV header announces")
      }
    }
    if let tooShort = tooShortNotice(detector, input: input) { onNotice(tooShort) }
    return Double(detector.samplesSeen) / Double(rate)
  }

  /// A warning when the input ended before `detector` had the window results it needs to decide
  /// anything (`minimumCount` windows, `strideSeconds` apart): a one-second clip given to
  /// `listen` printed nothing, as if it held no word. Nil otherwise.
  static func tooShortNotice(_ detector: SlidingWindowDetector, input: ListenInput) -> String? {
    let needed = Int64(detector.options.recognizer.minimumCount)
    guard detector.windowsScored < needed else { return nil }
    let rate = Double(detector.classifier.sampleRate)
    let seconds =
      (Double(detector.classifier.clipSamples) + Double(needed - 1)
        * Double(detector.strideSamples)) / rate
    let name: String
    switch input {
    case .file(let path): name = "'\(path)'"
    case .rawPCM: name = "the input"
    }
    return "\(name) holds \(String(format: "%.2f", Double(detector.samplesSeen) / rate)) s: "
      + "listen decides on \(needed) windows and needs at least \(String(format: "%.2f", seconds)) s "
      + "(for one clip, use classify)"
  }
}

/// Reads signed 16-bit little-endian PCM from a file descriptor as Float samples in [-1, 1),
/// the channels of each interleaved frame averaged.
///
/// A read that ends inside a frame keeps its bytes for the next one. Not thread-safe.
public final class PCMReader {
  private let descriptor: Int32
  private let channels: Int
  private var bytes: [UInt8]
  private var pending: [UInt8]
  private var carry: [UInt8] = []
  private var remaining: UInt64?
  /// Bytes of the `limit` not read because the input ended first (nil without a limit).
  public var unreadBytes: UInt64? { remaining }
  /// Bytes of an unfinished frame dropped at the end of the input (0 when it ended on a frame).
  public private(set) var droppedBytes = 0
  /// True once the input has ended inside a frame, whose bytes are dropped.
  public var endedInsideASample: Bool { droppedBytes > 0 }

  /// A reader of `descriptor` asking for up to `bytesPerRead` bytes per system call; `pending`
  /// bytes (already read from the descriptor) come first, frames hold `channels` samples, and
  /// at most `limit` bytes are read from the descriptor (nil: to its end).
  public init(
    fileDescriptor: Int32, bytesPerRead: Int = 3200, pending: [UInt8] = [], channels: Int = 1,
    limit: UInt64? = nil
  ) {
    self.descriptor = fileDescriptor
    self.bytes = [UInt8](repeating: 0, count: max(2, bytesPerRead))
    self.pending = pending
    self.channels = max(1, channels)
    self.remaining = limit
  }

  /// The next samples (never empty), or nil at the end of the input.
  public func next() throws(ListenError) -> [Float]? {
    while true {
      var data: [UInt8]
      if !pending.isEmpty {
        data = pending
        pending = []
      } else {
        let wanted = min(bytes.count, remaining.map { Int(min($0, UInt64(Int.max))) } ?? Int.max)
        let count =
          wanted == 0
          ? 0 : bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
        if count < 0 {
          if errno == EINTR { continue }
          throw .inputUnreadable(reason: String(cString: strerror(errno)))
        }
        if count == 0 {
          droppedBytes = carry.count
          return nil
        }
        if let left = remaining { remaining = left - UInt64(count) }
        data = Array(bytes[0..<count])
      }
      if !carry.isEmpty {
        data = carry + data
        carry = []
      }
      let frameBytes = 2 * channels
      let whole = data.count - data.count % frameBytes
      if whole < data.count { carry = Array(data[whole...]) }
      if whole == 0 { continue }
      return decode(data, frames: whole / frameBytes)
    }
  }

  /// The mean over channels of each of the first `frames` frames of `data`.
  private func decode(_ data: [UInt8], frames: Int) -> [Float] {
    var samples = [Float](repeating: 0, count: frames)
    var index = 0
    for i in samples.indices {
      var sum: Float = 0
      for _ in 0..<channels {
        let value = Int16(bitPattern: UInt16(data[index]) | UInt16(data[index + 1]) << 8)
        sum += Float(value) / 32768
        index += 2
      }
      samples[i] = channels == 1 ? sum : sum / Float(channels)
    }
    return samples
  }
}
