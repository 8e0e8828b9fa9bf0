internal import CSndfile

/// A container and encoding that `AudioFile.write` can produce.
public struct AudioWriteFormat: Sendable, Hashable, CustomStringConvertible {
  /// libsndfile's format code (major type | subtype).
  let code: Int32

  init(_ major: Int, _ subtype: Int) {
    code = Int32(major | subtype)
  }

  /// WAV, 16-bit signed PCM: the default, what the data sets use.
  public static let wav16 = AudioWriteFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_16)
  /// WAV, 8-bit unsigned PCM.
  public static let wavU8 = AudioWriteFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_U8)
  /// WAV, 24-bit signed PCM.
  public static let wav24 = AudioWriteFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_24)
  /// WAV, 32-bit signed PCM.
  public static let wav32 = AudioWriteFormat(SF_FORMAT_WAV, SF_FORMAT_PCM_32)
  /// WAV, 32-bit IEEE float; samples are stored as given, even NaN or beyond ±1.
  public static let wavFloat = AudioWriteFormat(SF_FORMAT_WAV, SF_FORMAT_FLOAT)
  /// FLAC, 16-bit.
  public static let flac16 = AudioWriteFormat(SF_FORMAT_FLAC, SF_FORMAT_PCM_16)
  /// FLAC, 24-bit.
  public static let flac24 = AudioWriteFormat(SF_FORMAT_FLAC, SF_FORMAT_PCM_24)
  /// OGG/Vorbis (lossy, libsndfile's default quality).
  public static let oggVorbis = AudioWriteFormat(SF_FORMAT_OGG, SF_FORMAT_VORBIS)
  /// AIFF, 16-bit signed PCM.
  public static let aiff16 = AudioWriteFormat(SF_FORMAT_AIFF, SF_FORMAT_PCM_16)

  /// Every format above, for tests and documentation.
  public static let all: [AudioWriteFormat] = [
    .wav16, .wavU8, .wav24, .wav32, .wavFloat, .flac16, .flac24, .oggVorbis, .aiff16,
  ]

  /// Container name as `AudioFileInfo.format` reports it, e.g. "WAV".
  public var format: String { FormatNames.majorName(code) }
  /// Encoding name as `AudioFileInfo.subtype` reports it, e.g. "PCM_16".
  public var subtype: String { FormatNames.subtypeName(code) }
  /// True for float encodings, which store non-finite samples instead of rejecting them.
  public var isFloatingPoint: Bool { FormatNames.isFloatingPoint(code) }
  /// "WAV PCM_16".
  public var description: String { "\(format) \(subtype)" }
}
