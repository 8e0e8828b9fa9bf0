import Dispatch
import Foundation
import SpeechAudio

/// Throughput of the front end on a folder of recordings (`speechcmd bench features`).
///
/// Every clip is decoded at 16 kHz and padded with zeros or cropped to 1 s. Figures are clips per
/// second, measured with a monotonic clock over repeated passes of at least `minimumSeconds`.
public struct FeatureBenchmarkResult: Codable, Sendable, Equatable {
  /// Clips measured (readable audio files in the folder, up to the limit).
  public var clips: Int
  /// MFCC only, audio already in memory, one thread, `default` preset.
  public var mfccClipsPerSecond: Double
  /// The same with the `psf` preset.
  public var psfPresetClipsPerSecond: Double
  /// FFTW alone executing the `default` preset's frames (copy frame, execute), one thread.
  public var fftFloorClipsPerSecond: Double
  /// Decode + resample + MFCC (`default` preset), keyed by thread count ("1", "2").
  public var endToEndClipsPerSecond: [String: Double]

  /// Wraps measured figures.
  public init(
    clips: Int, mfccClipsPerSecond: Double, psfPresetClipsPerSecond: Double,
    fftFloorClipsPerSecond: Double, endToEndClipsPerSecond: [String: Double]
  ) {
    self.clips = clips
    self.mfccClipsPerSecond = mfccClipsPerSecond
    self.psfPresetClipsPerSecond = psfPresetClipsPerSecond
    self.fftFloorClipsPerSecond = fftFloorClipsPerSecond
    self.endToEndClipsPerSecond = endToEndClipsPerSecond
  }
}

/// Runs the measurements of `FeatureBenchmarkResult`.
public enum FeatureBenchmark {
  /// File extensions treated as audio when listing the folder.
  public static let audioExtensions: Set<String> = [
    "wav", "wave", "flac", "ogg", "oga", "aif", "aiff", "aifc", "au", "snd", "caf", "w64", "mp3",
  ]

  /// Audio files directly or recursively under `directory`, sorted by path.
  public static func audioFiles(in directory: String) throws(FeatureError) -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
      isDirectory.boolValue,
      let walker = FileManager.default.enumerator(atPath: directory)
    else { throw .notADirectory(path: directory) }
    var files: [String] = []
    while let name = walker.nextObject() as? String {
      if audioExtensions.contains((name as NSString).pathExtension.lowercased()) {
        files.append((directory as NSString).appendingPathComponent(name))
      }
    }
    return files.sorted()
  }

  /// `samples` zero-padded or cropped (from the start) to exactly `length`.
  public static func fit(_ samples: [Float], length: Int) -> [Float] {
    if samples.count >= length { return Array(samples.prefix(length)) }
    return samples + [Float](repeating: 0, count: length - samples.count)
  }

  /// Measures everything on up to `limit` files of `directory`.
  ///
  /// - Parameters:
  ///   - threadCounts: thread counts for the end-to-end figure. Default [1, 2].
  ///   - minimumSeconds: each in-memory figure repeats passes over the clips until this much time
  ///     has passed (at least one pass). Default 2.
  ///   - warn: receives one line per file that cannot be decoded (it is skipped).
  public static func run(
    directory: String, limit: Int? = nil, threadCounts: [Int] = [1, 2],
    minimumSeconds: Double = 2, warn: (String) -> Void = { _ in }
  ) throws -> FeatureBenchmarkResult {
    let sampleRate = MFCCConfig.default.sampleRate
    var files = try audioFiles(in: directory)
    if let limit { files = Array(files.prefix(max(0, limit))) }
    var clips: [[Float]] = []
    var readable: [String] = []
    for file in files {
      do {
        clips.append(fit(try AudioFile.read(at: file, sampleRate: sampleRate), length: sampleRate))
        readable.append(file)
      } catch {
        warn(error.description)
      }
    }
    guard !clips.isEmpty else { throw FeatureError.noAudio(directory: directory) }

    let mfcc = try MFCC(config: .default)
    let psf = try MFCC(config: .psf)
    var endToEnd: [String: Double] = [:]
    for threads in threadCounts where threads >= 1 {
      endToEnd[String(threads)] = endToEndRate(readable, mfcc: mfcc, threads: threads)
    }
    return FeatureBenchmarkResult(
      clips: clips.count,
      mfccClipsPerSecond: clipsPerSecond(clips.count, minimumSeconds) {
        clips.forEach { sink(mfcc.compute($0)) }
      },
      psfPresetClipsPerSecond: clipsPerSecond(clips.count, minimumSeconds) {
        clips.forEach { sink(psf.compute($0)) }
      },
      fftFloorClipsPerSecond: clipsPerSecond(clips.count, minimumSeconds) { fftOnly(clips, mfcc) },
      endToEndClipsPerSecond: endToEnd)
  }

  /// Clips per second of `pass` (which processes `clips` clips), repeated for `minimumSeconds`.
  static func clipsPerSecond(_ clips: Int, _ minimumSeconds: Double, _ pass: () -> Void) -> Double {
    pass()  // warm-up: caches, page faults, lazy initialisation
    let start = DispatchTime.now().uptimeNanoseconds
    var passes = 0
    var elapsed = 0.0
    repeat {
      pass()
      passes += 1
      elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < minimumSeconds
    return Double(clips * passes) / elapsed
  }

  /// The FFT floor: copies each of the `default` preset's frames into FFTW's input and executes
  /// the plan, nothing else (no window, no spectrum, no filterbank).
  static func fftOnly(_ clips: [[Float]], _ mfcc: MFCC) {
    let buffers = FFTBuffers(length: mfcc.fft.length)
    let layout = mfcc.layout
    let padded = UnsafeMutablePointer<Float>.allocate(
      capacity: layout.paddedLength(samples: clips[0].count))
    defer { padded.deallocate() }
    for clip in clips {
      clip.withUnsafeBufferPointer { layout.fill(padded, from: $0, preEmphasis: 0) }
      for t in 0..<layout.frameCount(samples: clip.count) {
        buffers.input.update(from: padded + t * layout.hop, count: layout.window)
        mfcc.fft.execute(buffers)
      }
      sink(buffers.output[1])
    }
  }

  /// One pass of decode + resample + fit + MFCC over `files` on `threads` threads (files dealt
  /// round-robin), in clips per second.
  static func endToEndRate(_ files: [String], mfcc: MFCC, threads: Int) -> Double {
    let rate = mfcc.config.sampleRate
    let start = DispatchTime.now().uptimeNanoseconds
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
      for i in Swift.stride(from: worker, to: files.count, by: threads) {
        guard let x = try? AudioFile.read(at: files[i], sampleRate: rate) else { continue }
        sink(mfcc.compute(fit(x, length: rate)))
      }
    }
    return Double(files.count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
  }

  /// Keeps results observable so the optimiser cannot drop the work.
  @_optimize(none)
  static func sink<T>(_ value: T) {}
}
