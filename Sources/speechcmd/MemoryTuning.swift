#if canImport(Glibc)
  import Glibc
#endif

/// Process-wide allocator settings for commands that handle thousands of clips.
enum MemoryTuning {
  /// Keeps large blocks (decoded audio, MFCC frame buffers: a few hundred KB each) in the heap
  /// instead of fresh `mmap`s, and keeps freed heap memory instead of returning it at once.
  ///
  /// glibc serves blocks over 128 KB with `mmap` and gives them back on `free`, so every clip
  /// faulted its buffers in again: classifying 2,738 one-second clips took about 14,000 page
  /// faults and twice the CPU time (about 2,100 faults with these settings). Costs at most tens
  /// of MB of retained memory. Does nothing on other C libraries. The corresponding C function is
  /// `mallopt` (looked up at run time: Swift's Glibc module does not export `<malloc.h>`).
  static func keepLargeAllocations() {
    #if canImport(Glibc)
      typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(nil, "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
      let trimThreshold: Int32 = -1  // M_TRIM_THRESHOLD
      let mmapThreshold: Int32 = -3  // M_MMAP_THRESHOLD
      _ = mallopt(mmapThreshold, 32 << 20)
      _ = mallopt(trimThreshold, 64 << 20)
    #endif
  }
}
