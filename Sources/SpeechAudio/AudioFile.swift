/// Reading audio files of any format libsndfile decodes (WAV PCM 8/16/24/32-bit and float, FLAC,
/// OGG/Vorbis, AIFF, CAF, …) as mono Float32 samples in [-1, 1] at a chosen rate.
///
/// Channels are averaged while decoding, and the rate is converted with libsamplerate's sinc
/// converter when it differs from the file's, so memory stays at the output plus a few blocks of
/// 4096 frames. All functions are safe to call from many threads at once on different files.
public enum AudioFile {
  /// Reads the header of `path` without decoding samples.
  ///
  /// A header-only file succeeds with `frames == 0` (decoding it throws `.zeroFrames`). Throws
  /// `.missing`, `.directory`, `.empty`, `.notAudio`, `.truncatedHeader` or `.unreadable`.
  public static func info(at path: String) throws(AudioError) -> AudioFileInfo {
    let file = try SoundFile(readingFrom: path)
    return AudioFileInfo(
      path: path, format: FormatNames.majorName(file.format),
      subtype: FormatNames.subtypeName(file.format), channels: file.channels,
      sampleRate: file.sampleRate, frames: file.frames, cutShort: file.cutShort)
  }

  /// Decodes the whole file to mono Float32 in [-1, 1] at `sampleRate` Hz (default 16 kHz),
  /// converting the rate with `quality` (default `ResampleQuality.standard`).
  ///
  /// The result has about `frames × sampleRate / fileRate` samples. Besides the errors of
  /// `info(at:)`, throws `.zeroFrames` for a file without frames, `.nonFiniteSample` for NaN or
  /// infinity in a floating-point file, `.unreadable` for data that fails to decode, and
  /// `.resampleFailed` for a rate ratio outside 1/256…256.
  public static func read(
    at path: String, sampleRate: Int = 16000, quality: ResampleQuality = .standard
  ) throws(AudioError) -> [Float] {
    try decodeAll(MonoDecoder(path: path, sampleRate: sampleRate, quality: quality)).samples
  }

  /// Decodes as `read(at:sampleRate:quality:)` does, and says whether the file is cut short
  /// (its header announces more audio than it holds; the samples are what it holds).
  public static func decode(
    at path: String, sampleRate: Int = 16000, quality: ResampleQuality = .standard
  ) throws(AudioError) -> (samples: [Float], cutShort: CutShort?) {
    try decodeAll(MonoDecoder(path: path, sampleRate: sampleRate, quality: quality))
  }

  /// Decodes as `decode(at:sampleRate:quality:)` does when the file's header announces at most
  /// `maximumSamples` samples at `sampleRate`; nil, having decoded nothing, when it announces
  /// more or cannot tell its length. Such a recording is read in blocks instead
  /// (`forEachBlock`), so that memory does not grow with its length: a compressed file can hold
  /// an hour in a few megabytes.
  public static func decode(
    at path: String, sampleRate: Int = 16000, quality: ResampleQuality = .standard,
    maximumSamples: Int
  ) throws(AudioError) -> (samples: [Float], cutShort: CutShort?)? {
    let decoder = try MonoDecoder(path: path, sampleRate: sampleRate, quality: quality)
    guard decoder.announcedOutputCount <= Double(maximumSamples) else { return nil }
    return try decodeAll(decoder)
  }

  /// Decodes a whole audio file held in memory (an upload, a fuzz input) exactly as
  /// `read(at:sampleRate:quality:)` decodes it from disk; `name` stands for the path in errors.
  /// Throws the same errors (`.empty` for no bytes; never `.missing` or `.directory`).
  public static func read(
    bytes: [UInt8], name: String, sampleRate: Int = 16000, quality: ResampleQuality = .standard
  ) throws(AudioError) -> [Float] {
    try decodeAll(
      MonoDecoder(bytes: bytes, name: name, sampleRate: sampleRate, quality: quality)
    ).samples
  }

  private static func decodeAll(_ decoder: MonoDecoder) throws(AudioError)
    -> (samples: [Float], cutShort: CutShort?)
  {
    var samples: [Float] = []
    samples.reserveCapacity(decoder.expectedOutputCount)
    while try decoder.decodeNext(appendingTo: &samples) {}
    return (samples, decoder.cutShort)
  }

  /// Streams the file through `body` in blocks of exactly `blockFrames` mono samples at
  /// `sampleRate` Hz (the last block may be shorter; no block is empty), for files too long to
  /// hold in memory. Memory use is constant in the file's length.
  ///
  /// The concatenated blocks equal `read(at:sampleRate:quality:)`. Throws the same `AudioError`s, plus
  /// `.invalidArgument` when `blockFrames < 1`, and whatever `body` throws, which stops the read.
  /// Returns what `decode(at:sampleRate:quality:)` says of a file cut short (known from its header).
  @discardableResult
  public static func forEachBlock(
    at path: String, sampleRate: Int = 16000, blockFrames: Int = 16384,
    quality: ResampleQuality = .standard, _ body: ([Float]) throws -> Void
  ) throws -> CutShort? {
    guard blockFrames >= 1 else {
      throw AudioError.invalidArgument("block size must be at least 1 frame, got \(blockFrames)")
    }
    let decoder = try MonoDecoder(path: path, sampleRate: sampleRate, quality: quality)
    var pending: [Float] = []
    pending.reserveCapacity(blockFrames + 2 * MonoDecoder.blockFrames)
    var start = 0
    while try decoder.decodeNext(appendingTo: &pending) {
      while pending.count - start >= blockFrames {
        try body(Array(pending[start..<start + blockFrames]))
        start += blockFrames
      }
      pending.removeFirst(start)
      start = 0
    }
    if !pending.isEmpty {
      try body(pending)
    }
    return decoder.cutShort
  }
}
