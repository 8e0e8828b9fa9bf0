import Foundation

internal import AtomicFiles

extension AudioFile {
  /// Writes samples (nominally in [-1, 1]) to `path` as `format` at `sampleRate` Hz, atomically:
  /// the data goes to a temporary file in the same directory, is synced, and is renamed over
  /// `path`, so readers never see a half-written file and a failure leaves `path` untouched.
  ///
  /// - Parameters:
  ///   - samples: `frames × channels` samples, interleaved when `channels > 1`. Integer formats
  ///     clip values beyond ±1; they reject NaN and infinity, which only float formats store.
  ///   - sampleRate: frames per second, in Hz (≥ 1).
  ///   - path: destination; its directory must exist. The extension is not consulted.
  ///   - format: container and encoding; default 16-bit PCM WAV.
  ///   - channels: interleaved channels (default 1, mono).
  /// - Throws: `AudioError.unwritable` (naming `path`) or `.invalidArgument`.
  public static func write(
    _ samples: [Float], sampleRate: Int, to path: String, format: AudioWriteFormat = .wav16,
    channels: Int = 1
  ) throws(AudioError) {
    guard channels >= 1, samples.count % channels == 0 else {
      throw AudioError.invalidArgument(
        "\(samples.count) samples do not make whole frames of \(channels) channels")
    }
    if !format.isFloatingPoint, let bad = samples.firstIndex(where: { !$0.isFinite }) {
      throw AudioError.unwritable(
        path: path, reason: "sample \(bad) is not finite, which \(format) cannot store")
    }
    do throws(AtomicFileError) {
      // libsndfile finishes FLAC and OGG streams only when closing, so `writeFile` closes the
      // handle before the commit syncs and renames the file.
      try AtomicFile.commit(to: path) { (temporary) throws(AtomicFileError) in
        do throws(AudioError) {
          try writeFile(
            samples, sampleRate: sampleRate, to: temporary, format: format, channels: channels)
        } catch {
          throw AtomicFileError(path: path, reason: error.reasonText)
        }
      }
    } catch {
      throw AudioError.unwritable(path: path, reason: error.reason)
    }
  }

  private static func writeFile(
    _ samples: [Float], sampleRate: Int, to path: String, format: AudioWriteFormat, channels: Int
  ) throws(AudioError) {
    let file = try SoundFile(
      writingTo: path, format: format.code, channels: channels, sampleRate: sampleRate)
    let frames = samples.count / channels
    try samples.withUnsafeBufferPointer { (buffer) throws(AudioError) in
      if let base = buffer.baseAddress, frames > 0 {
        try file.writeFrames(base, count: frames)
      }
    }
    file.sync()
    // `file` is released here, closing the handle before the caller renames the result.
  }
}

extension AudioError {
  /// The explanation alone, without the path, for re-wrapping under another path.
  fileprivate var reasonText: String {
    switch self {
    case .unwritable(_, let reason), .unreadable(_, let reason): return reason
    default: return description
    }
  }
}
