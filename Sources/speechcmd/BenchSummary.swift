import ArgumentParser
import Foundation
import SpeechBench
import SpeechCommands

extension SpeechCmd.Bench {
  /// `speechcmd bench summary DIR`: the three performance figures of the README's table.
  struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "summary",
      abstract: "Measure start-up, listen's speed on one core and training on two threads.",
      discussion: """
        Three figures, each against its target: 'speechcmd classify' of the first file under DIR \
        as a whole process (the median of --runs starts of this executable, start-up included; \
        'speechcmd --version' alone is the floor), listen's real-time factor pinned to one core \
        (the files end to end, --listen-seconds of audio), and 'bench train' on --train-threads \
        OpenBLAS threads (samples/s and the share of cblas_sgemm's own rate). \
        scripts/bench-perf.sh runs it next to the Python anchors. JSON keys: \
        versionMilliseconds, classifyOneFileMilliseconds, listenRealTimeFactor, \
        listenAudioSeconds, trainSamplesPerSecond, trainShareOfSgemm, trainThreads.
        """)

    @OptionGroup var model: ModelChoice

    @Argument(help: ArgumentHelp("Folder of audio files (searched recursively).", valueName: "dir"))
    var directory: String

    @Option(help: "Output format: text or json.")
    var format: BenchFormat = .text

    @Option(help: "Timed process starts per command (the median is reported).")
    var runs: Int = 20

    @Option(help: "Seconds of audio streamed through listen.")
    var listenSeconds: Double = 120

    @Option(help: "OpenBLAS threads for the training figure.")
    var trainThreads: Int = 2

    func validate() throws {
      if runs < 1 { throw ValidationError("--runs must be at least 1") }
      if !(listenSeconds >= 1 && listenSeconds <= 3600) {
        throw ValidationError("--listen-seconds must be 1…3600")
      }
      if !(1...256).contains(trainThreads) {
        throw ValidationError("--train-threads must be 1…256")
      }
    }

    func run() throws {
      MemoryTuning.keepLargeAllocations()
      let modelPath = try FlagNames.mapping { try ModelLocator.resolve(explicit: model.model) }
      var config = SummaryBenchmark.Configuration(
        executable: Bundle.main.executablePath ?? CommandLine.arguments[0], modelPath: modelPath,
        directory: directory)
      config.runs = runs
      config.listenSeconds = listenSeconds
      config.trainThreads = trainThreads
      let result = try SummaryBenchmark.run(config)
      for line in Self.lines(result, format: format) { print(line) }
    }

    /// The report: one JSON object (sorted keys) or a line per figure with its target.
    static func lines(_ r: SummaryBenchmarkResult, format: BenchFormat) -> [String] {
      if format == .json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [String(decoding: (try? encoder.encode(r)) ?? Data("{}".utf8), as: UTF8.self)]
      }
      return [
        String(
          format:
            "classify one file, whole process: %.1f ms (--version alone %.1f ms; target ≤ 12 ms)",
          r.classifyOneFileMilliseconds, r.versionMilliseconds),
        String(
          format: "listen, one core: %.0f× real time over %.0f s of audio (target ≥ 500×)",
          r.listenRealTimeFactor, r.listenAudioSeconds),
        String(
          format: "train, %d threads: %.0f samples/s, %.0f%% of sgemm on the same products "
            + "(target ≥ 60%%, and ≥ 3× scikit-learn: scripts/bench-perf.sh)",
          r.trainThreads, r.trainSamplesPerSecond, 100 * r.trainShareOfSgemm),
      ]
    }
  }
}
