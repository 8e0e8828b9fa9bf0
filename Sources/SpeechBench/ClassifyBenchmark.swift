import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel

/// Figures of `speechcmd bench classify`.
public struct ClassifyBenchmarkResult: Codable, Sendable, Equatable {
  /// Files classified per run.
  public var files: Int
  /// Whole-folder classification (decode + resample + features + batched network), files per
  /// second, keyed by worker-thread count ("1", "2", …); the median of the runs.
  public var filesPerSecond: [String: Double]
  /// Seconds of audio in the `listen` measurement.
  public var listenAudioSeconds: Double
  /// `listen`'s speed on one thread: seconds of audio processed per second of wall time.
  public var listenRealTimeFactor: Double
  /// Windows scored per second by `listen` (one every 30 ms of audio).
  public var listenWindowsPerSecond: Double
  /// Median µs to classify one decoded clip: features of every view and the network.
  public var clipMicroseconds: Double
  /// Median µs of the network alone on one clip's views.
  public var clipNetworkMicroseconds: Double
}

/// Measures `classify`'s throughput over a folder, `listen`'s real-time factor and the latency
/// of one clip.
///
/// Classification runs the same `BatchClassifier` as the command, over every audio file of the
/// folder, once to warm the page cache and then `runs` times per thread count (OpenBLAS on one
/// thread, as `BatchClassifier.run` sets it: the parallelism is across files). `listen` streams the folder's clips
/// concatenated (repeated up to `listenSeconds`) through a `SlidingWindowDetector` in the command's
/// block size, on one thread.
public enum ClassifyBenchmark {
  /// Runs the benchmark; `warn` receives files that could not be read.
  public static func run(
    directory: String, classifier: Classifier, threads: [Int] = [1, 2], limit: Int? = nil,
    runs: Int = 3, listenSeconds: Double = 60, warn: (String) -> Void = { _ in }
  ) throws -> ClassifyBenchmarkResult {
    let paths = try BenchmarkFolder.audioFiles(in: directory, limit: limit).map(PathItem.file)

    var rates: [String: Double] = [:]
    var firstRun = true
    var failures = 0
    for count in threads {
      var options = ClassifyOptions()
      options.threads = count
      let batch = try BatchClassifier(classifier: classifier, options: options)
      var times: [Double] = []
      for run in 0..<(runs + (firstRun ? 1 : 0)) {
        let start = DispatchTime.now().uptimeNanoseconds
        batch.run(paths) { result in
          if firstRun, run == 0, case .failed(_, let reason) = result {
            failures += 1
            warn(reason)
          }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if firstRun && run == 0 { continue }
        times.append(seconds)
      }
      firstRun = false
      rates[String(count)] = Double(paths.count) / median(times)
    }
    if failures == paths.count {
      throw BenchmarkError.noAudio(folder: directory)
    }

    let files = paths.compactMap { if case .file(let p) = $0 { p } else { nil } }
    let listen = try ListenSpeed.measure(
      paths: files, classifier: classifier, seconds: listenSeconds)
    let clip = ClipLatency.measure(paths: files, classifier: classifier)
    return ClassifyBenchmarkResult(
      files: paths.count, filesPerSecond: rates, listenAudioSeconds: listen.audioSeconds,
      listenRealTimeFactor: listen.realTimeFactor, listenWindowsPerSecond: listen.windowsPerSecond,
      clipMicroseconds: clip.clipMicroseconds, clipNetworkMicroseconds: clip.networkMicroseconds)
  }

}
