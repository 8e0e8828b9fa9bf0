internal import CSndfile

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Audio bytes held in memory, read by libsndfile through its virtual I/O callbacks
/// (`sf_open_virtual`) as if they were a file: decoding uploads or fuzz inputs without touching
/// the disk. Read-only; one `SoundFile` per instance (the read position is not shared safely).
final class MemorySource {
  /// The whole "file".
  let bytes: [UInt8]
  /// The read position in bytes, in `0...bytes.count`.
  private var position = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// The callbacks; `user_data` is an unretained `MemorySource` the `SoundFile` keeps alive.
  static var callbacks: SF_VIRTUAL_IO {
    SF_VIRTUAL_IO(
      get_filelen: { sf_count_t(MemorySource.source($0).bytes.count) },
      seek: { offset, whence, data in MemorySource.source(data).seek(Int64(offset), whence: whence)
      },
      read: { destination, count, data in
        MemorySource.source(data).read(into: destination, count: count)
      },
      write: { _, _, _ in 0 },
      tell: { sf_count_t(MemorySource.source($0).position) })
  }

  private static func source(_ data: UnsafeMutableRawPointer?) -> MemorySource {
    Unmanaged<MemorySource>.fromOpaque(data!).takeUnretainedValue()
  }

  /// Moves the position like `lseek`; a target outside the bytes is refused (returns -1).
  private func seek(_ offset: Int64, whence: Int32) -> sf_count_t {
    let base: Int64
    switch whence {
    case SEEK_SET: base = 0
    case SEEK_CUR: base = Int64(position)
    case SEEK_END: base = Int64(bytes.count)
    default: return -1
    }
    let (target, overflow) = base.addingReportingOverflow(offset)
    guard !overflow, target >= 0, target <= Int64(bytes.count) else { return -1 }
    position = Int(target)
    return sf_count_t(target)
  }

  /// Copies up to `count` bytes from the position; returns how many (0 at the end).
  private func read(into destination: UnsafeMutableRawPointer?, count: sf_count_t) -> sf_count_t {
    guard let destination, count > 0 else { return 0 }
    let n = Int(min(Int64(count), Int64(bytes.count - position)))
    if n == 0 { return 0 }
    bytes.withUnsafeBytes { source in
      destination.copyMemory(from: source.baseAddress! + position, byteCount: n)
    }
    position += n
    return sf_count_t(n)
  }
}
