import Dispatch
import Foundation
import SpeechAudio
import SpeechCommands
import SpeechFeatures

/// Throughput of the front end on a folder of recordings (`speechcmd bench features`).
///
/// Every clip is decoded at 16 kHz and padded with zeros at the end or cropped to its first second.
/// Figures are clips per second (wall clock, monotonic), the median over the rounds.
public struct FeatureBenchmarkResult: Codable, Sendable, Equatable {
  /// Clips measured (readable audio files in the folder, up to the limit).
  public var clips: Int
  /// MFCC only, audio already in memory, one thread, `classic` preset.
  public var mfccClipsPerSecond: Double
  /// The same with the `psf` preset.
  public var psfPresetClipsPerSecond: Double
  /// FFTW alone executing the `classic` preset's frames (copy frame, execute), one thread.
  public var fftFloorClipsPerSecond: Double
  /// Decode + resample + MFCC (`classic` preset), keyed by thread count ("1", "2").
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
  /// `samples` zero-padded or cropped (from the start) to exactly `length`.
  public static func fit(_ samples: [Float], length: Int) -> [Float] {
    if samples.count >= length { return Array(samples.prefix(length)) }
    return samples + [Float](repeating: 0, count: length - samples.count)
  }

  /// Measures everything on up to `limit` files of `directory`.
  ///
  /// Each figure is the median over `repeats` rounds; within a round every measurement runs once,
  /// one after the other, so a burst of machine noise hits all of them alike (as the Python
  /// anchor does).
  ///
  /// - Parameters:
  ///   - threadCounts: thread counts for the end-to-end figure. Default [1, 2].
  ///   - repeats: rounds; each round passes over all clips once per measurement. Default 5.
  ///   - warn: receives one line per file that cannot be decoded (it is skipped).
  public static func run(
    directory: String, limit: Int? = nil, threadCounts: [Int] = [1, 2], repeats: Int = 5,
    warn: (String) -> Void = { _ in }
  ) throws -> FeatureBenchmarkResult {
    let sampleRate = MFCCConfig.classic.sampleRate
    var files = try BenchmarkFolder.audioFiles(in: directory)
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
    guard !clips.isEmpty else { throw BenchmarkError.noAudio(folder: directory) }

    let mfcc = try MFCC(config: .classic)
    let psf = try MFCC(config: .psf)
    let threads = threadCounts.filter { $0 >= 1 }
    var rounds: [[Double]] = []  // per round: mfcc, psf, fft, end-to-end for each thread count
    for round in 0...max(1, repeats) {
      var r = [
        clipsPerSecond(clips.count) { clips.forEach { sink(mfcc.compute($0)) } },
        clipsPerSecond(clips.count) { clips.forEach { sink(psf.compute($0)) } },
        clipsPerSecond(clips.count) { fftOnly(clips, mfcc) },
      ]
      for n in threads {
        r.append(clipsPerSecond(readable.count) { endToEnd(readable, mfcc, threads: n) })
      }
      if round > 0 { rounds.append(r) }  // round 0 warms caches, page cache and allocators
    }
    let m = (0..<rounds[0].count).map { k in median(rounds.map { $0[k] }) }
    return FeatureBenchmarkResult(
      clips: clips.count, mfccClipsPerSecond: m[0], psfPresetClipsPerSecond: m[1],
      fftFloorClipsPerSecond: m[2],
      endToEndClipsPerSecond: Dictionary(
        uniqueKeysWithValues: threads.enumerated().map { (String($0.element), m[3 + $0.offset]) }))
  }

  /// Clips per second of one run of `pass`, which processes `clips` clips.
  static func clipsPerSecond(_ clips: Int, _ pass: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    pass()
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Double(clips) / max(elapsed, 1e-9)
  }

  /// The FFT floor: copies each of the `classic` preset's frames into FFTW's input and executes
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
  /// round-robin); unreadable files are skipped.
  static func endToEnd(_ files: [String], _ mfcc: MFCC, threads: Int) {
    let rate = mfcc.config.sampleRate
    DispatchQueue.concurrentPerform(iterations: threads) { worker in
      for i in Swift.stride(from: worker, to: files.count, by: threads) {
        guard let x = try? AudioFile.read(at: files[i], sampleRate: rate) else { continue }
        sink(mfcc.compute(fit(x, length: rate)))
      }
    }
  }

  /// Keeps results observable so the optimiser cannot drop the work.
  @_optimize(none)
  static func sink<T>(_ value: T) {}
}
