import Foundation

/// The header of a WAV stream piped to `listen -` (`sox in.flac -t wav - | speechcmd listen -`),
/// read from the front of a descriptor so that the samples after it can be read as PCM.
///
/// `listen -` reads raw PCM, and a WAV header read as samples gave a burst of noise and, for a
/// stereo or 44.1 kHz stream, detections at wrong times or none at all. A stream starting with
/// `RIFF…WAVE` is a WAV (raw audio starting with those eight bytes is not met in practice); its
/// 16-bit PCM is read at the header's rate with its channels averaged. Other containers
/// (FLAC, Ogg, AIFF, AU, big-endian or 64-bit WAV) and other sample formats are refused with
/// what to do instead.
public struct WAVStreamHeader: Sendable, Equatable {
  /// Frames per second, 1000…1000000 (the rates `--rate` takes).
  public var sampleRate: Int
  /// Interleaved channels, 1…64, averaged to mono.
  public var channels: Int
  /// Bytes of samples the header announces, or nil when it leaves the length open: a stream
  /// writer cannot know it and writes 0 or a placeholder near 2³¹ or 2³² (`arecord` without
  /// `-t raw` writes 0x7FFFFFFF), which would end a live stream after 18 hours.
  public var dataBytes: UInt64?

  /// Announced lengths from this up are placeholders: the length is open.
  static let openLength: UInt64 = 0x7FFF_0000

  /// The most header bytes read before the `data` chunk (other chunks are skipped up to this).
  static let maximumHeaderBytes = 1 << 20

  /// What the front of `descriptor` holds: a WAV header (consumed), or nil for raw PCM; and the
  /// bytes read past the header (or all bytes read, for raw PCM), which the caller reads first.
  /// Throws `ListenError.unsupportedInput` for a container or sample format `listen -` does not
  /// read, `ListenError.inputUnreadable` when reading fails.
  public static func read(
    from descriptor: Int32
  ) throws(ListenError) -> (header: WAVStreamHeader?, pending: [UInt8]) {
    var bytes = ByteFront(descriptor: descriptor)
    let magic = try bytes.take(12)
    guard magic.count == 12 else { return (nil, magic) }
    let id = String(decoding: magic[0..<4], as: UTF8.self)
    if id == "RIFF" && String(decoding: magic[8..<12], as: UTF8.self) == "WAVE" {
      return (try parseChunks(&bytes), [])
    }
    if let container = containers[id] {
      throw .unsupportedInput(
        "standard input holds \(container): listen - reads raw 16-bit PCM or a 16-bit WAV "
          + "stream; give the file's path instead (listen FILE)")
    }
    return (nil, magic)
  }

  /// Other containers recognised by their first four bytes.
  static let containers = [
    "fLaC": "a FLAC file", "OggS": "an Ogg file", "FORM": "an AIFF file", ".snd": "an AU file",
    "RIFX": "a big-endian WAV", "RF64": "an RF64 (64-bit) WAV",
  ]

  /// The chunks after `RIFF…WAVE` up to `data`: `fmt ` read, others skipped.
  private static func parseChunks(_ bytes: inout ByteFront) throws(ListenError) -> WAVStreamHeader {
    var format: (rate: Int, channels: Int)?
    while true {
      let head = try bytes.take(8)
      guard head.count == 8 else {
        throw .unsupportedInput("standard input is a WAV that ends before its samples")
      }
      let id = String(decoding: head[0..<4], as: UTF8.self)
      let size = UInt64(littleEndian32(head, at: 4))
      if id == "data" {
        guard let format else {
          throw .unsupportedInput("standard input is a WAV whose samples come before their format")
        }
        return WAVStreamHeader(
          sampleRate: format.rate, channels: format.channels,
          dataBytes: size == 0 || size >= openLength ? nil : size)
      }
      let padded = Int(size + size % 2)
      guard bytes.consumed + padded <= maximumHeaderBytes else {
        throw .unsupportedInput(
          "standard input is a WAV with no samples in its first \(maximumHeaderBytes >> 20) MB")
      }
      let body = try bytes.take(padded)
      guard body.count == padded else {
        throw .unsupportedInput("standard input is a WAV that ends before its samples")
      }
      if id == "fmt " { format = try parseFormat(body) }
    }
  }

  /// The rate and channels of a `fmt ` chunk's body, if it is 16-bit integer PCM.
  private static func parseFormat(_ body: [UInt8]) throws(ListenError) -> (Int, Int) {
    guard body.count >= 16 else {
      throw .unsupportedInput("standard input is a WAV with a damaged format chunk")
    }
    var tag = Int(body[0]) | Int(body[1]) << 8
    let channels = Int(body[2]) | Int(body[3]) << 8
    let rate = Int(littleEndian32(body, at: 4))
    let bits = Int(body[14]) | Int(body[15]) << 8
    if tag == 0xFFFE && body.count >= 26 { tag = Int(body[24]) | Int(body[25]) << 8 }
    let convert = "convert it to 16-bit (sox IN -b 16 -e signed -t wav -) or give its path"
    guard tag == 1 else {
      let kind = tag == 3 ? "floating-point samples" : "samples coded as format \(tag)"
      throw .unsupportedInput("standard input is a WAV of \(kind): \(convert)")
    }
    guard bits == 16 else {
      throw .unsupportedInput("standard input is a WAV of \(bits)-bit samples: \(convert)")
    }
    guard (1...64).contains(channels) else {
      throw .unsupportedInput("standard input is a WAV of \(channels) channels (1…64 read)")
    }
    guard (1_000...1_000_000).contains(rate) else {
      throw .unsupportedInput("standard input is a WAV at \(rate) Hz (1000…1000000 Hz read)")
    }
    return (rate, channels)
  }

  private static func littleEndian32(_ b: [UInt8], at i: Int) -> UInt32 {
    UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
  }
}

/// Exact-size reads from the front of a descriptor (a pipe returns whatever it holds).
private struct ByteFront {
  let descriptor: Int32
  /// Bytes taken so far.
  private(set) var consumed = 0

  init(descriptor: Int32) { self.descriptor = descriptor }

  /// The next `count` bytes, fewer only at the end of the input.
  mutating func take(_ count: Int) throws(ListenError) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let n = out.withUnsafeMutableBytes {
        Foundation.read(descriptor, $0.baseAddress! + filled, count - filled)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw .inputUnreadable(reason: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      filled += n
    }
    consumed += filled
    return Array(out[0..<filled])
  }
}
