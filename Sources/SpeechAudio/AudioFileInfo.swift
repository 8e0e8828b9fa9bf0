/// What an audio file's header says, as reported by libsndfile without decoding any samples.
public struct AudioFileInfo: Sendable, Equatable {
  /// The path the file was opened with.
  public var path: String
  /// Container format in libsndfile's naming, e.g. "WAV", "FLAC", "OGG", "AIFF".
  public var format: String
  /// Sample encoding in libsndfile's naming, e.g. "PCM_16", "PCM_24", "FLOAT", "VORBIS".
  public var subtype: String
  /// Interleaved channels per frame (1 = mono, 2 = stereo).
  public var channels: Int
  /// Frames per second, in Hz.
  public var sampleRate: Int
  /// Sample frames per channel the file holds (0 for a header-only file).
  public var frames: Int64
  /// Set when the header announces more audio than the file holds (`frames` counts what it holds).
  public var cutShort: CutShort?

  /// Creates a description; normally obtained from `AudioFile.info(at:)`.
  public init(
    path: String, format: String, subtype: String, channels: Int, sampleRate: Int, frames: Int64,
    cutShort: CutShort? = nil
  ) {
    self.path = path
    self.format = format
    self.subtype = subtype
    self.channels = channels
    self.sampleRate = sampleRate
    self.frames = frames
    self.cutShort = cutShort
  }

  /// Whether libsndfile cannot tell the length (`frames` is then `Int64.max`): an OGG stream
  /// without its last page, cut before its end.
  public var lengthUnknown: Bool { frames == Int64.max }

  /// Length in seconds: `frames / sampleRate` (0 when the rate is unknown).
  public var duration: Double {
    sampleRate > 0 ? Double(frames) / Double(sampleRate) : 0
  }
}
