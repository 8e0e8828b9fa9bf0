import Foundation

/// The decoding pipeline shared by `AudioFile.read` and `AudioFile.forEachBlock`: reads a file in
/// fixed blocks of frames, averages the channels, rejects non-finite samples, resamples, and
/// clamps to [-1, 1]. Holds one block of interleaved frames, one of mono samples and the
/// resampler state, so its memory does not grow with the file.
final class MonoDecoder {
  /// Source frames decoded per step.
  static let blockFrames = 4096

  let file: SoundFile
  let resampler: StreamingResampler
  /// Interleaved frames straight from libsndfile: `blockFrames × channels`.
  private var interleaved: [Float]
  /// The current block averaged to mono.
  private var mono: [Float]
  /// Frames decoded so far, for error positions and the zero-frame check.
  private var framesDecoded: Int64 = 0
  /// True once the last block has been resampled and flushed.
  private(set) var isFinished = false

  /// Opens `path` and prepares conversion to `sampleRate` Hz with `quality`.
  convenience init(path: String, sampleRate: Int, quality: ResampleQuality) throws(AudioError) {
    try Self.checkRate(sampleRate)
    try self.init(file: SoundFile(readingFrom: path), sampleRate: sampleRate, quality: quality)
  }

  /// Opens audio bytes in memory (`name` stands for the path in errors), as `init(path:…)`.
  convenience init(bytes: [UInt8], name: String, sampleRate: Int, quality: ResampleQuality)
    throws(AudioError)
  {
    try Self.checkRate(sampleRate)
    try self.init(
      file: SoundFile(readingBytes: bytes, name: name), sampleRate: sampleRate, quality: quality)
  }

  private static func checkRate(_ sampleRate: Int) throws(AudioError) {
    guard sampleRate > 0 else {
      throw AudioError.invalidArgument("target sample rate must be positive, got \(sampleRate) Hz")
    }
  }

  private init(file: SoundFile, sampleRate: Int, quality: ResampleQuality) throws(AudioError) {
    self.file = file
    if file.frames == 0 {
      throw AudioError.zeroFrames(path: file.path)
    }
    do throws(AudioError) {
      resampler = try StreamingResampler(from: file.sampleRate, to: sampleRate, quality: quality)
    } catch {
      // The file's rate is what is wrong (1 Hz, say): name the file, as every file error does.
      throw .unreadable(path: file.path, reason: "\(error)")
    }
    interleaved = [Float](repeating: 0, count: Self.blockFrames * file.channels)
    mono = []
    mono.reserveCapacity(Self.blockFrames)
  }

  /// Set when the file's header announces more audio than it holds, or when it announces no
  /// length and so stops before its end (`SoundFile.lengthUnknown`: then the seconds held are
  /// those decoded so far, so read it once decoding is finished).
  var cutShort: CutShort? {
    if let cut = file.cutShort { return cut }
    guard file.lengthUnknown, file.sampleRate > 0 else { return nil }
    return CutShort(
      path: file.path, heldSeconds: Double(framesDecoded) / Double(file.sampleRate),
      announcedSeconds: nil)
  }

  /// Output samples the whole file should yield, for reserving capacity up front so a long file
  /// is not copied while its array grows. A header can lie (a few bytes claiming billions of
  /// frames), so the estimate is capped at 32 output samples per byte of file (no real encoding
  /// compresses that far) plus a little.
  /// Output samples the header announces: its frames at the output rate (about 9.2e18 × the
  /// rate ratio when libsndfile cannot tell the length, e.g. an OGG stream cut before its end).
  var announcedOutputCount: Double {
    Double(file.frames) * Double(resampler.to) / Double(resampler.from)
  }

  var expectedOutputCount: Int {
    let ratio = Double(resampler.to) / Double(resampler.from)
    let estimate = Double(file.frames) * ratio
    let bytes = Double(file.byteCount)
    let cap = (bytes + 65536) * 32 * max(ratio, 1)
    return Int(min(estimate, cap, Double(Int32.max))) + 1
  }

  /// Decodes the next block and appends its resampled samples to `output`. Returns false, and
  /// appends nothing, once the file is exhausted.
  func decodeNext(appendingTo output: inout [Float]) throws(AudioError) -> Bool {
    if isFinished { return false }
    let channels = file.channels
    let count = try interleaved.withUnsafeMutableBufferPointer {
      (buffer) throws(AudioError) -> Int in
      try file.readFrames(into: buffer.baseAddress!, count: Self.blockFrames)
    }
    mono.removeAll(keepingCapacity: true)
    if channels == 1 {
      mono.append(contentsOf: interleaved[0..<count])
    } else {
      let scale = 1 / Float(channels)
      for frame in 0..<count {
        var sum: Float = 0
        for channel in 0..<channels { sum += interleaved[frame * channels + channel] }
        mono.append(sum * scale)
      }
    }
    if let bad = mono.firstIndex(where: { !$0.isFinite }) {
      throw AudioError.nonFiniteSample(path: file.path, frame: framesDecoded + Int64(bad))
    }
    framesDecoded += Int64(count)
    let isLast = count < Self.blockFrames
    if isLast && framesDecoded == 0 {
      throw AudioError.zeroFrames(path: file.path)
    }
    let converted = try resampler.process(mono, isLast: isLast)
    let start = output.count
    output.append(contentsOf: converted)
    output.withUnsafeMutableBufferPointer { buffer in
      for i in start..<buffer.count { buffer[i] = min(max(buffer[i], -1), 1) }
    }
    isFinished = isLast
    return true
  }
}
