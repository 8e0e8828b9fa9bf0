import Foundation
import SpeechCommands
import SpeechModel

#if canImport(Glibc)
  import Glibc
#endif

/// The three figures of the performance table (issue 15): a whole `classify` process on one file
/// (start-up included) next to `--version` alone, `listen`'s speed on one core, and training
/// throughput on two threads with its share of `cblas_sgemm`'s own rate.
public struct SummaryBenchmarkResult: Codable, Sendable, Equatable {
  /// Median wall time of `speechcmd --version`, in ms: the process start-up floor.
  public var versionMilliseconds: Double
  /// Median wall time of `speechcmd classify --model M FILE`, in ms.
  public var classifyOneFileMilliseconds: Double
  /// `listen` on one core: seconds of audio per second of wall time.
  public var listenRealTimeFactor: Double
  /// Seconds of audio in the `listen` measurement.
  public var listenAudioSeconds: Double
  /// Training samples per second (`bench train`'s standard setting).
  public var trainSamplesPerSecond: Double
  /// Training GFLOP/s over `cblas_sgemm`'s GFLOP/s on the same products (0…1).
  public var trainShareOfSgemm: Double
  /// OpenBLAS threads of the training measurement.
  public var trainThreads: Int
}

/// Measures `SummaryBenchmarkResult`.
public enum SummaryBenchmark {
  /// What to measure with.
  public struct Configuration: Sendable {
    /// The `speechcmd` executable to start (normally the running one).
    public var executable: String
    /// The model file for `classify` and `listen`.
    public var modelPath: String
    /// A folder of audio files: the first is classified; all of them, end to end, are streamed
    /// to `listen`.
    public var directory: String
    /// Timed process starts per command (the median is reported). Default 20.
    public var runs = 20
    /// Seconds of audio streamed through `listen`. Default 120.
    public var listenSeconds = 120.0
    /// OpenBLAS threads for training. Default 2.
    public var trainThreads = 2

    /// A configuration with the defaults above.
    public init(executable: String, modelPath: String, directory: String) {
      self.executable = executable
      self.modelPath = modelPath
      self.directory = directory
    }
  }

  /// Runs the three measurements in turn (about a minute); `listen` runs pinned to the first
  /// core where the system allows it (Linux).
  public static func run(_ config: Configuration) throws -> SummaryBenchmarkResult {
    let files = try BenchmarkFolder.audioFiles(in: config.directory)
    // The model and the timed file are tried here first, so that a problem is said with its
    // reason rather than as a child's exit status (the timed starts' errors go to /dev/null).
    let classifier = try Classifier(modelAt: config.modelPath)
    if case .failed(_, let reason) = try BatchClassifier(classifier: classifier)
      .classify(batch: [.file(files[0])])[0]
    {
      throw BenchmarkError.unusableFile(reason: reason)
    }
    let version = try medianMilliseconds(config.executable, ["--version"], runs: config.runs)
    let classify = try medianMilliseconds(
      config.executable, ["classify", "--model", config.modelPath, files[0]], runs: config.runs)
    let listen = try onFirstCore {
      try ListenSpeed.measure(
        paths: files, classifier: classifier, seconds: config.listenSeconds)
    }
    var training = TrainingBenchmark.Configuration()
    training.threads = config.trainThreads
    let train = TrainingBenchmark.run(training)
    return SummaryBenchmarkResult(
      versionMilliseconds: version, classifyOneFileMilliseconds: classify,
      listenRealTimeFactor: listen.realTimeFactor, listenAudioSeconds: listen.audioSeconds,
      trainSamplesPerSecond: train.samplesPerSecond,
      trainShareOfSgemm: train.gflops / train.sgemmPeakGflops, trainThreads: train.threads)
  }

  /// Median wall time in ms of `runs` starts of `executable arguments` (output to /dev/null),
  /// after one warm-up start. Throws when a start fails or exits with a non-zero status. Started
  /// with `posix_spawn` (Foundation's `Process` adds tens of milliseconds per start here).
  static func medianMilliseconds(_ executable: String, _ arguments: [String], runs: Int) throws
    -> Double
  {
    var times: [Double] = []
    for run in 0...max(1, runs) {
      let start = DispatchTime.now().uptimeNanoseconds
      let status = spawnAndWait(executable, arguments)
      let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
      guard status == 0 else {
        throw BenchmarkError.commandFailed(
          command: ([executable] + arguments).joined(separator: " "), status: status)
      }
      if run > 0 { times.append(elapsed) }
    }
    return median(times)
  }

  /// Runs `executable arguments` with standard output and error sent to /dev/null and returns
  /// its exit status (-1 when it could not start or did not exit normally). The corresponding C
  /// functions are `posix_spawn` and `waitpid`.
  static func spawnAndWait(_ executable: String, _ arguments: [String]) -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
      if errno != EINTR { return -1 }
    }
    // WIFEXITED / WEXITSTATUS: low 7 bits 0 when it exited, the status in the next 8.
    return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
  }

  /// Runs `body` with the calling thread pinned to CPU 0 (as `taskset -c 0` would), then restores
  /// its affinity. Elsewhere than Linux, or when not permitted, runs it unpinned. The
  /// corresponding C functions are `sched_getaffinity` and `sched_setaffinity` (looked up at run
  /// time: Swift's Glibc module leaves out these GNU extensions).
  static func onFirstCore<T>(_ body: () throws -> T) rethrows -> T {
    #if canImport(Glibc)
      typealias Affinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
      if let get = dlsym(nil, "sched_getaffinity"), let set = dlsym(nil, "sched_setaffinity") {
        let (getAffinity, setAffinity) = (
          unsafeBitCast(get, to: Affinity.self), unsafeBitCast(set, to: Affinity.self)
        )
        // A cpu_set_t: 1024 bits.
        var previous = [UInt64](repeating: 0, count: 16)
        var first = [UInt64](repeating: 0, count: 16)
        first[0] = 1
        let size = 16 * MemoryLayout<UInt64>.size
        if getAffinity(0, size, &previous) == 0, setAffinity(0, size, &first) == 0 {
          defer { _ = setAffinity(0, size, &previous) }
          return try body()
        }
      }
    #endif
    return try body()
  }
}
