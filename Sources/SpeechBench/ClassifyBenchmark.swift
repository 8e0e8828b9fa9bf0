import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel

/// Figures of `speechcmd bench classify`.
public struct ClassifyBenchmarkResult: Codable, Sendable, Equatable {
  /// Files classified per run (those that could not be are left out).
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

    // The warm-up run (it fills the page cache) finds the files that cannot be classified: they
    // are named once and left out of the timed runs and of the count (a folder with two broken
    // files of six reported six files classified).
    var readable: [String] = []
    try BatchClassifier(classifier: classifier).run(paths) { result in
      switch result {
      case .failed(_, let reason): warn(reason)
      case .classified(let path, _, _): readable.append(path)
      }
    }
    if readable.isEmpty { throw BenchmarkError.noAudio(folder: directory) }
    var rates: [String: Double] = [:]
    for count in threads {
      var options = ClassifyOptions()
      options.threads = count
      let batch = try BatchClassifier(classifier: classifier, options: options)
      var times: [Double] = []
      for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        batch.run(readable.map(PathItem.file)) { _ in }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
      }
      rates[String(count)] = Double(readable.count) / median(times)
    }

    let files = readable
    let listen = try ListenSpeed.measure(
      paths: files, classifier: classifier, seconds: listenSeconds)
    let clip = ClipLatency.measure(paths: files, classifier: classifier)
    return ClassifyBenchmarkResult(
      files: readable.count, filesPerSecond: rates, listenAudioSeconds: listen.audioSeconds,
      listenRealTimeFactor: listen.realTimeFactor, listenWindowsPerSecond: listen.windowsPerSecond,
      clipMicroseconds: clip.clipMicroseconds, clipNetworkMicroseconds: clip.networkMicroseconds)
  }

}
