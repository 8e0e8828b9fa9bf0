/// Why an audio file could not be read or written, or samples could not be resampled.
///
/// Every file case carries the path; where libsndfile or libsamplerate explained the failure, its
/// own message (`sf_strerror`, `src_strerror`) is kept in `reason`. The description is one line
/// that names the file and the problem, without an "Error:" prefix (argument-parser adds one).
public enum AudioError: Error, Equatable, CustomStringConvertible {
  /// Nothing exists at `path`.
  case missing(path: String, reason: String)
  /// `path` is a directory, not a file.
  case directory(path: String)
  /// The file is zero bytes long.
  case empty(path: String)
  /// libsndfile does not recognise the file as audio in any format it knows.
  case notAudio(path: String, reason: String)
  /// libsndfile recognised the format but could not parse the header; the usual cause is a file
  /// cut short inside its header.
  case truncatedHeader(path: String, reason: String)
  /// The header is valid but the file holds no sample frames.
  case zeroFrames(path: String)
  /// A sample decoded as NaN or ±infinity (only a floating-point file can hold one); `frame` is the
  /// zero-based frame index in the file.
  case nonFiniteSample(path: String, frame: Int64)
  /// Any other failure to open or decode (permissions, an I/O error, corrupt data after the header).
  case unreadable(path: String, reason: String)
  /// The file could not be written (bad directory, unsupported format combination, I/O error).
  case unwritable(path: String, reason: String)
  /// Samples could not be converted between the two rates (rates in Hz).
  case resampleFailed(from: Int, to: Int, reason: String)
  /// A caller passed a value outside its documented range (a non-positive rate or block size...).
  case invalidArgument(String)

  /// The file the error is about, if it is about one.
  public var path: String? {
    switch self {
    case .missing(let path, _), .directory(let path), .empty(let path), .notAudio(let path, _),
      .truncatedHeader(let path, _), .zeroFrames(let path), .nonFiniteSample(let path, _),
      .unreadable(let path, _), .unwritable(let path, _):
      return path
    case .resampleFailed, .invalidArgument:
      return nil
    }
  }

  public var description: String {
    switch self {
    case .missing(let path, let reason):
      return "'\(path)' does not exist (\(reason))"
    case .directory(let path):
      return "'\(path)' is a directory, not an audio file"
    case .empty(let path):
      return "'\(path)' is empty (0 bytes)"
    case .notAudio(let path, let reason):
      return "'\(path)' is not an audio file libsndfile can read: \(reason)"
    case .truncatedHeader(let path, let reason):
      return "'\(path)' has a truncated or malformed header: \(reason)"
    case .zeroFrames(let path):
      return "'\(path)' has a valid header but no audio frames"
    case .nonFiniteSample(let path, let frame):
      return "'\(path)' holds a non-finite sample (NaN or infinity) at frame \(frame)"
    case .unreadable(let path, let reason):
      return "cannot read '\(path)': \(reason)"
    case .unwritable(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    case .resampleFailed(let from, let to, let reason):
      return "cannot resample from \(from) Hz to \(to) Hz: \(reason)"
    case .invalidArgument(let message):
      return message
    }
  }
}
