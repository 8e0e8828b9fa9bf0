import Foundation
internal import CSndfile

/// Serialises `sf_open`: libsndfile keeps the error of a failed open in one process-wide variable,
/// so without the lock a concurrent open could overwrite the code and message we report.
private let openLock = NSLock()

/// An open libsndfile handle. The only place `SNDFILE*` lives: every C call on it is wrapped here
/// once, each failure becomes an `AudioError` carrying libsndfile's own message, and `deinit`
/// closes the handle. Not thread-safe: one reader or writer per instance.
final class SoundFile {
  /// The `SNDFILE*`.
  private let handle: OpaquePointer
  /// The path the file was opened with, for error messages.
  let path: String
  /// libsndfile's format code (major type | subtype | endianness).
  let format: Int32
  /// Channels per frame (≥ 1).
  let channels: Int
  /// Frame rate in Hz (≥ 1).
  let sampleRate: Int
  /// Frames per channel the file holds (≥ 0; libsndfile corrects a header that announces more).
  let frames: Int64
  /// When the header announced more audio data than the file holds: the share it holds (< 1).
  let heldFraction: Double?
  /// The bytes read through virtual I/O, kept alive while libsndfile reads them (nil for a file).
  private let memory: MemorySource?

  /// Size of the source in bytes: the memory buffer's, or the file's (0 when unknown).
  var byteCount: Int {
    if let memory { return memory.bytes.count }
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return (attributes?[.size] as? NSNumber)?.intValue ?? 0
  }

  /// Opens `path` for reading and validates the header. The corresponding C function is `sf_open`.
  convenience init(readingFrom path: String) throws(AudioError) {
    // Opening a pipe (or a device) waits for a writer, possibly for ever: only regular files
    // (links followed) are audio files.
    var status = stat()
    if stat(path, &status) == 0, (status.st_mode & UInt32(S_IFMT)) != UInt32(S_IFREG),
      (status.st_mode & UInt32(S_IFMT)) != UInt32(S_IFDIR)
    {
      throw AudioError.unreadable(path: path, reason: "not a regular file (a pipe or a device)")
    }
    let (opened, info, code, reason) = SoundFile.open(SF_INFO()) {
      sf_open(path, Int32(SFM_READ), $0)
    }
    guard let handle = opened else {
      throw SoundFile.classifyOpenFailure(path: path, code: code, reason: reason)
    }
    try self.init(reading: handle, info: info, path: path, memory: nil)
  }

  /// Opens audio bytes held in memory; `name` stands for the path in errors. The corresponding C
  /// function is `sf_open_virtual`.
  convenience init(readingBytes bytes: [UInt8], name: String) throws(AudioError) {
    if bytes.isEmpty { throw AudioError.empty(path: name) }
    let source = MemorySource(bytes)
    let (opened, info, code, reason) = SoundFile.open(SF_INFO()) {
      var callbacks = MemorySource.callbacks
      return sf_open_virtual(
        &callbacks, Int32(SFM_READ), $0, Unmanaged.passUnretained(source).toOpaque())
    }
    guard let handle = opened else {
      throw SoundFile.classifyFormatFailure(path: name, code: code, reason: reason)
    }
    try self.init(reading: handle, info: info, path: name, memory: source)
  }

  /// Takes ownership of an opened `handle` and validates its header.
  private init(reading handle: OpaquePointer, info: SF_INFO, path: String, memory: MemorySource?)
    throws(AudioError)
  {
    self.memory = memory
    self.handle = handle
    self.path = path
    self.format = info.format
    self.channels = Int(info.channels)
    self.sampleRate = Int(info.samplerate)
    self.frames = info.frames
    self.heldFraction = Self.heldFraction(handle)
    guard channels >= 1, sampleRate >= 1, frames >= 0 else {
      throw AudioError.truncatedHeader(
        path: path,
        reason: "header gives \(channels) channels, \(sampleRate) Hz, \(frames) frames")
    }
  }

  /// The share of the announced audio data the file holds, from libsndfile's log of its header
  /// (see `CutShort.heldFraction(log:)`). The log is searched as C text first: nearly every file
  /// has no "should be" line, and this runs once per file `classify` opens.
  private static func heldFraction(_ handle: OpaquePointer) -> Double? {
    var log = [CChar](repeating: 0, count: 2048)
    _ = sf_command(handle, Int32(SFC_GET_LOG_INFO), &log, Int32(log.count - 1))
    guard strstr(log, "(should be") != nil else { return nil }
    return CutShort.heldFraction(
      log: String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }

  /// Creates (or truncates) `path` for writing. The corresponding C function is `sf_open`.
  init(writingTo path: String, format: Int32, channels: Int, sampleRate: Int) throws(AudioError) {
    guard channels >= 1, channels <= 1024, sampleRate >= 1, sampleRate <= 1_000_000_000 else {
      throw AudioError.unwritable(
        path: path, reason: "invalid layout: \(channels) channels at \(sampleRate) Hz")
    }
    var info = SF_INFO()
    info.format = format
    info.channels = Int32(channels)
    info.samplerate = Int32(sampleRate)
    guard sf_format_check(&info) != 0 else {
      throw AudioError.unwritable(
        path: path,
        reason: "libsndfile cannot write \(FormatNames.majorName(format)) "
          + "\(FormatNames.subtypeName(format)) with \(channels) channels at \(sampleRate) Hz")
    }
    let (opened, _, _, reason) = SoundFile.open(info) { sf_open(path, Int32(SFM_WRITE), $0) }
    guard let handle = opened else {
      throw AudioError.unwritable(path: path, reason: reason)
    }
    self.handle = handle
    self.path = path
    self.format = format
    self.channels = channels
    self.sampleRate = sampleRate
    self.frames = 0
    self.heldFraction = nil
    self.memory = nil
    // Out-of-range floats written to integer encodings clip instead of wrapping around.
    _ = sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
  }

  deinit {
    sf_close(handle)
  }

  /// Whether libsndfile cannot tell the file's length (it reports `SF_COUNT_MAX` frames): an OGG
  /// stream without its last page, i.e. cut before its end.
  var lengthUnknown: Bool { frames == Int64.max }

  /// What is missing when the header announced more than the file holds, else nil.
  var cutShort: CutShort? {
    guard let heldFraction, heldFraction > 0, sampleRate > 0 else { return nil }
    let held = Double(frames) / Double(sampleRate)
    return CutShort(path: path, heldSeconds: held, announcedSeconds: held / heldFraction)
  }

  /// Reads up to `count` interleaved frames (`count × channels` floats) into `buffer`, scaled to
  /// [-1, 1] for integer encodings. Returns the frames read; fewer than `count` only at the end.
  /// The corresponding C function is `sf_readf_float`.
  func readFrames(into buffer: UnsafeMutablePointer<Float>, count: Int) throws(AudioError) -> Int {
    let read = Int(sf_readf_float(handle, buffer, sf_count_t(count)))
    if read < count {
      let code = sf_error(handle)
      if code != Int32(SF_ERR_NO_ERROR) {
        throw AudioError.unreadable(path: path, reason: String(cString: sf_strerror(handle)))
      }
    }
    return max(read, 0)
  }

  /// Writes `count` interleaved frames from `buffer`. The corresponding C function is
  /// `sf_writef_float`.
  func writeFrames(_ buffer: UnsafePointer<Float>, count: Int) throws(AudioError) {
    let written = Int(sf_writef_float(handle, buffer, sf_count_t(count)))
    if written != count {
      throw AudioError.unwritable(path: path, reason: String(cString: sf_strerror(handle)))
    }
  }

  /// Flushes libsndfile's buffers and the operating system's to disk. The corresponding C
  /// function is `sf_write_sync`.
  func sync() {
    sf_write_sync(handle)
  }

  /// Calls `call` (`sf_open` or `sf_open_virtual`) under `openLock` with `info`; on failure also returns libsndfile's error code and message.
  private static func open(
    _ info: SF_INFO, _ call: (UnsafeMutablePointer<SF_INFO>) -> OpaquePointer?
  ) -> (handle: OpaquePointer?, info: SF_INFO, code: Int32, reason: String) {
    openLock.withLock {
      var info = info
      guard let handle = call(&info) else {
        return (nil, info, sf_error(nil), String(cString: sf_strerror(nil)))
      }
      return (handle, info, 0, "")
    }
  }

  /// Turns a failed `sf_open` into the most specific error: the file system explains missing
  /// files, directories and empty files; libsndfile's code tells "not audio at all" from "audio
  /// whose header is broken".
  private static func classifyOpenFailure(path: String, code: Int32, reason: String) -> AudioError {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return .missing(path: path, reason: reason)
    }
    if isDirectory.boolValue {
      return .directory(path: path)
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??
      .int64Value
    if size == 0 {
      return .empty(path: path)
    }
    return classifyFormatFailure(path: path, code: code, reason: reason)
  }

  /// Tells "not audio at all" from "audio whose header is broken" by libsndfile's error code.
  private static func classifyFormatFailure(path: String, code: Int32, reason: String)
    -> AudioError
  {
    switch code {
    case Int32(SF_ERR_UNRECOGNISED_FORMAT):
      return .notAudio(path: path, reason: reason)
    case Int32(SF_ERR_SYSTEM):
      return .unreadable(path: path, reason: reason)
    default:
      return .truncatedHeader(path: path, reason: reason)
    }
  }
}
