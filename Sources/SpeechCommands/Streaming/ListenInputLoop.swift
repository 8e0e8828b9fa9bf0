import Foundation
import SpeechAudio
import SpeechModel

/// Where `listen` reads audio from.
public enum ListenInput: Sendable, Equatable {
  /// An audio file of any format libsndfile reads, streamed in blocks (constant memory).
  case file(String)
  /// Raw signed 16-bit little-endian mono PCM at `sampleRate` Hz from a file descriptor (standard
  /// input is 0), as `arecord -t raw -f S16_LE -c 1` writes it.
  case rawPCM(fileDescriptor: Int32, sampleRate: Int)
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
    case .rawPCM(let descriptor, let inputRate):
      let resampler = try StreamingResampler(from: inputRate, to: rate)
      let reader = PCMReader(fileDescriptor: descriptor, bytesPerRead: max(2, inputRate / 10) * 2)
      while let block = try reader.next() {
        let samples = try resampler.process(block, isLast: false)
        for detection in detector.process(samples) { try onDetection(detection) }
      }
      let tail = try resampler.process([], isLast: true)
      for detection in detector.process(tail) { try onDetection(detection) }
      if reader.endedInsideASample {
        onNotice("the input ended inside a 16-bit sample: its last byte was dropped")
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

/// Reads signed 16-bit little-endian PCM from a file descriptor as Float samples in [-1, 1).
///
/// A read that ends inside a sample keeps the odd byte for the next one. Not thread-safe.
public final class PCMReader {
  private let descriptor: Int32
  private var bytes: [UInt8]
  private var carry: UInt8?
  /// True once the input has ended with an odd byte, half a sample, which is dropped.
  public private(set) var endedInsideASample = false

  /// A reader of `descriptor` asking for up to `bytesPerRead` bytes per system call.
  public init(fileDescriptor: Int32, bytesPerRead: Int = 3200) {
    self.descriptor = fileDescriptor
    self.bytes = [UInt8](repeating: 0, count: max(2, bytesPerRead))
  }

  /// The next samples (never empty), or nil at the end of the input.
  public func next() throws(ListenError) -> [Float]? {
    while true {
      let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .inputUnreadable(reason: String(cString: strerror(errno)))
      }
      if count == 0 {
        endedInsideASample = carry != nil
        return nil
      }
      var data = ArraySlice(bytes[0..<count])
      if let first = carry {
        data.insert(first, at: data.startIndex)
        carry = nil
      }
      if data.count % 2 == 1 { carry = data.removeLast() }
      if data.isEmpty { continue }
      var samples = [Float](repeating: 0, count: data.count / 2)
      var index = data.startIndex
      for i in samples.indices {
        let value = Int16(bitPattern: UInt16(data[index]) | UInt16(data[index + 1]) << 8)
        samples[i] = Float(value) / 32768
        index += 2
      }
      return samples
    }
  }
}
