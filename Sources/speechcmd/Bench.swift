import ArgumentParser
import Foundation
import SpeechBench
import SpeechFeatures

extension SpeechCmd {
  /// `speechcmd bench …`: throughput measurements (benchmarks, not tests).
  struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "bench",
      abstract: "Measure the front end, the network, classify and listen (speed and live detection).",
      subcommands: [
        Features.self, Train.self, Classify.self, Stream.self, Listen.self, Summary.self,
      ])
  }
}

/// Output formats of the benchmarks.
enum BenchFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

/// The folder, output format and file limit shared by `bench features` and `bench classify`.
struct BenchFolder: ParsableArguments {
  @Argument(help: ArgumentHelp("Folder of audio files (searched recursively).", valueName: "dir"))
  var directory: String

  @Option(help: "Output format: text or json.")
  var format: BenchFormat = .text

  @Option(help: "Use at most this many files (default: all).")
  var limit: Int?

  func validate() throws {
    if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
  }
}

extension SpeechCmd.Bench {
  /// `speechcmd bench features DIR`: MFCC, FFT-floor and end-to-end clips per second.
  struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "features",
      abstract: "Measure MFCC throughput on the audio files of a folder.",
      discussion: """
        Each clip is decoded at 16 kHz and padded or cropped to 1 s. Reports clips/s (median of \
        --repeats rounds, after one warm-up round) for MFCC \
        only on audio in memory (one thread, classic and psf presets), the FFT-only floor (FFTW \
        executing the classic preset's frames), and end to end (decode + resample + MFCC) on 1 \
        and 2 threads. JSON keys: clips, mfccClipsPerSecond, psfPresetClipsPerSecond, \
        fftFloorClipsPerSecond, endToEndClipsPerSecond (keyed by thread count).
        """)

    @OptionGroup var folder: BenchFolder

    @Option(help: "Rounds to take the median over (each passes once over all clips).")
    var repeats: Int = 5

    func validate() throws {
      guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1") }
    }

    func run() throws {
      let result = try FeatureBenchmark.run(
        directory: folder.directory, limit: folder.limit, repeats: repeats,
        warn: { LineOutput.warn($0) })
      for line in Self.lines(result, format: folder.format) { print(line) }
    }

    /// The report as lines: JSON (one object, sorted keys) or readable text.
    static func lines(_ r: FeatureBenchmarkResult, format: BenchFormat) -> [String] {
      if format == .json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [String(decoding: (try? encoder.encode(r)) ?? Data("{}".utf8), as: UTF8.self)]
      }
      func figure(_ perSecond: Double) -> String {
        "\(Int(perSecond.rounded())) clips/s (\(Int((1e6 / perSecond).rounded())) µs/clip)"
      }
      var out = [
        "clips: \(r.clips) (1 s at 16 kHz)",
        "MFCC only, classic preset, 1 thread: \(figure(r.mfccClipsPerSecond))",
        "MFCC only, psf preset, 1 thread:     \(figure(r.psfPresetClipsPerSecond))",
        "FFT floor (FFTW, same frames):       \(figure(r.fftFloorClipsPerSecond))",
        "MFCC time / FFT floor time:          "
          + String(format: "%.2f×", r.fftFloorClipsPerSecond / r.mfccClipsPerSecond),
      ]
      for key in r.endToEndClipsPerSecond.keys.sorted(by: { Int($0) ?? 0 < Int($1) ?? 0 }) {
        out.append(
          "end to end (decode+resample+MFCC), \(key) thread(s): \(figure(r.endToEndClipsPerSecond[key]!))"
        )
      }
      return out
    }
  }
}
