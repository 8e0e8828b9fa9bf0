import ArgumentParser
import Foundation
import SpeechBench
import SpeechCommands

extension SpeechCmd.Bench {
  /// `speechcmd bench classify DIR`: classify files/s on 1 and 2 threads, listen's speed.
  struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "classify",
      abstract: "Measure classify's files per second and listen's real-time factor.",
      discussion: """
        Classifies every audio file under DIR (as 'speechcmd classify' does: decode, resample, \
        features, batched network) once to warm the cache, then --runs times per thread count, \
        and reports the median files/s. Then streams the clips end to end (repeated up to \
        --listen-seconds) through 'listen' on one thread and reports seconds of audio per \
        second. Last, the median time to classify one decoded clip (features of every view and \
        the network, as a one-file classify) and of the network alone. Whole-process timings (start-up included) are in scripts/bench-classify.sh. \
        JSON keys: files, filesPerSecond (by thread count), listenAudioSeconds, \
        listenRealTimeFactor, listenWindowsPerSecond, clipMicroseconds, clipNetworkMicroseconds.
        """)

    @OptionGroup var model: ModelChoice

    @OptionGroup var folder: BenchFolder

    @Option(help: "Timed runs per thread count (the median is reported).")
    var runs: Int = 3

    @Option(help: "Seconds of audio streamed through listen.")
    var listenSeconds: Double = 60

    func validate() throws {
      if runs < 1 { throw ValidationError("--runs must be at least 1") }
      // Up to an hour: the audio is held, and a huge count overflowed its sample count.
      if !(listenSeconds >= 1 && listenSeconds <= 3600) {
        throw ValidationError("--listen-seconds must be 1…3600")
      }
    }

    func run() throws {
      MemoryTuning.keepLargeAllocations()
      let result = try ClassifyBenchmark.run(
        directory: folder.directory, classifier: model.load(), threads: [1, 2], limit: folder.limit,
        runs: runs,
        listenSeconds: listenSeconds, warn: { LineOutput.warn($0) })
      let output = LineOutput()
      for line in Self.lines(result, format: folder.format) { output.write(line) }
      output.flush()
    }

    /// The report: one JSON object (sorted keys) or readable lines.
    static func lines(_ r: ClassifyBenchmarkResult, format: BenchFormat) -> [String] {
      if format == .json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [String(decoding: (try? encoder.encode(r)) ?? Data("{}".utf8), as: UTF8.self)]
      }
      var out = ["files: \(r.files)"]
      for key in r.filesPerSecond.keys.sorted(by: { Int($0) ?? 0 < Int($1) ?? 0 }) {
        let perSecond = r.filesPerSecond[key]!
        out.append(
          "classify, \(key) thread(s): \(Int(perSecond.rounded())) files/s"
            + String(format: " (%.2f ms/file)", 1000 / perSecond))
      }
      out.append(
        String(
          format: "listen, 1 thread: %.0f× real time (%.0f windows/s over %.0f s of audio)",
          r.listenRealTimeFactor, r.listenWindowsPerSecond, r.listenAudioSeconds))
      out.append(
        String(
          format: "one clip, decoded: %.0f µs (network alone %.0f µs)", r.clipMicroseconds,
          r.clipNetworkMicroseconds))
      return out
    }
  }
}
