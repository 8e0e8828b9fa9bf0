import ArgumentParser
import Foundation
import SpeechBench
import SpeechModel

extension SpeechCmd.Bench {
  /// `speechcmd bench train`: network training throughput and one-sample latency.
  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "train",
      abstract: "Measure MLP training throughput, one-sample latency and GFLOP/s.",
      discussion: """
        Trains a 490→144→144→144→12 ReLU MLP with Adam (lr 1e-3, batch 100) on 100,000 random \
        samples for 3 epochs, then times one-sample predictions and cblas_sgemm alone on the same \
        products. Compare with ../shared/bench/mlp_anchor.py (scikit-learn) run right after it at \
        the same thread count (the README's benchmark section). JSON keys: \
        samplesPerSecond, predictOneMicroseconds, gflops, sgemmPeakGflops, sgemmWidestGflops, \
        threads, trainSeconds, finalLoss.
        """)

    @Option(help: "OpenBLAS threads (1 gives bit-reproducible training).")
    var threads = 1

    @Option(help: "Output format: text or json.")
    var format: BenchFormat = .text

    @Option(help: "Random training samples.")
    var samples = 100_000

    @Option(help: "Training epochs.")
    var epochs = 3

    func validate() throws {
      guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be 1…256") }
      // The samples are held as 490 floats each: ten million are 20 GB.
      guard (100...10_000_000).contains(samples) else {
        throw ValidationError("--samples must be one batch (100) … 10000000")
      }
      guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
    }

    func run() throws {
      var config = TrainingBenchmark.Configuration()
      config.threads = threads
      config.samples = samples
      config.epochs = epochs
      let result = TrainingBenchmark.run(config)
      for line in Self.lines(result, format: format) { print(line) }
    }

    /// The report as lines: JSON (one object, sorted keys) or readable text.
    static func lines(_ r: TrainingBenchmark.Result, format: BenchFormat) -> [String] {
      if format == .json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [String(decoding: (try? encoder.encode(r)) ?? Data("{}".utf8), as: UTF8.self)]
      }
      return [
        "MLP 490→144→144→144→12, batch 100, Adam, \(r.threads) thread(s)",
        String(
          format: "training:            %.0f samples/s (%.2f s, final loss %.3f)",
          r.samplesPerSecond, r.trainSeconds, r.finalLoss),
        String(
          format: "achieved:            %.1f GFLOP/s (%.0f%% of sgemm on the same products)",
          r.gflops, 100 * r.gflops / r.sgemmPeakGflops),
        String(
          format: "sgemm alone:         %.1f GFLOP/s (widest product %.1f GFLOP/s)",
          r.sgemmPeakGflops, r.sgemmWidestGflops),
        String(format: "predict one sample:  %.1f µs (median)", r.predictOneMicroseconds),
      ]
    }
  }
}
