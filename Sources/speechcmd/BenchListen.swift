import ArgumentParser
import Foundation
import SpeechBench
import SpeechCommands

extension SpeechCmd.Bench {
  /// `speechcmd bench listen DATA`: live detection on streams of real voices, across thresholds.
  struct Listen: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "listen",
      abstract: "Measure listen on streams of one split's voices across a range of thresholds.",
      discussion: """
        From the --split clips of DATA (a folder, split by TensorFlow's hash rule) or --manifest \
        (its split column; scripts/speaker-split.py writes one by speaker) builds a positive \
        stream (--words command words, --gap-clips _silence_ clips after each) and a negative \
        stream (--non-command-words words of other labels, same layout), deterministically from \
        --seed; scores every window once and replays listen's decisions at each threshold. \
        Reports matched/right/wrong/spurious per command word, false accepts per hour of \
        negative stream and per non-command word, false accepts per hour of the background-noise \
        files alone, and the miss rate per word at the default threshold (the model's operating \
        point, else listen's 0.7). listen's settings (--stride, --average-window, --threshold, \
        --suppression, --minimum-count) override the model's operating point as they do for \
        listen, so settings can be compared on the same streams. --out DIR writes \
        listen-bench.json and det.svg (the DET curve).
        """)

    @OptionGroup var model: ModelChoice

    @Argument(help: ArgumentHelp("Data folder (DATA/<label>/<files>).", valueName: "data"))
    var data: String?

    @Option(help: "CSV manifest 'path,label[,split]' instead of a data folder.")
    var manifest: String?

    @Option(help: "Split whose clips make the streams: train, validation or test.")
    var split: String = "test"

    @Option(help: "Command words in the positive stream.")
    var words: Int = 100

    @Option(help: "Non-command words in the negative stream.")
    var nonCommandWords: Int = 100

    @Option(help: "Background (_silence_) clips of 1 s after each word.")
    var gapClips: Int = 2

    @Option(help: "Seed of the streams.")
    var seed: UInt64 = 1

    @OptionGroup var detection: DetectionArguments

    @Option(help: "Thresholds to sweep, comma-separated.")
    var thresholds: String = DetectionSweep.defaultThresholds.map { String(format: "%.2f", $0) }
      .joined(separator: ",")

    @Flag(help: "Skip the background-noise-only stream.")
    var noNoise = false

    @Option(help: "Folder for listen-bench.json and det.svg.")
    var out: String?

    @Option(help: "Output format: text or json.")
    var format: BenchFormat = .text

    func validate() throws {
      if (data == nil) == (manifest == nil) {
        throw ValidationError("give either a data folder or --manifest FILE")
      }
      if DatasetSplit(name: split) == nil {
        throw ValidationError("--split must be train, validation or test")
      }
      if !(1...100_000).contains(words) || !(0...100_000).contains(nonCommandWords)
        || !(0...100).contains(gapClips)
      {
        throw ValidationError(
          "--words must be 1…100000, --non-command-words 0…100000 and --gap-clips 0…100")
      }
      // The streams are held as floats at the model's rate (16 kHz): at most 4.6 hours.
      if (words + nonCommandWords) * (1 + gapClips) > 16_000 {
        throw ValidationError(
          "(--words + --non-command-words) × (1 + --gap-clips) seconds of stream must be at most "
            + "16000 (the streams are held in memory)")
      }
      _ = try thresholdList()
      // Checked before the benchmark runs, not after: a long run was lost to a bad --out.
      if let out {
        do {
          try OutputFile.checkFolderWritable(out)
          for name in ["listen-bench.json", "det.svg"] {
            try OutputFile.checkReplaceable(out + "/" + name)
          }
        } catch { throw ValidationError("--out: \(error)") }
      }
    }

    /// The parsed `--thresholds`.
    func thresholdList() throws -> [Float] {
      let values = thresholds.split(separator: ",").map {
        Float($0.trimmingCharacters(in: .whitespaces))
      }
      guard !values.isEmpty, values.allSatisfy({ $0.map { (0...1).contains($0) } ?? false })
      else {
        throw ValidationError("--thresholds must be numbers between 0 and 1, comma-separated")
      }
      return values.compactMap { $0 }
    }

    func run() throws {
      var options = ListenBenchmark.Options()
      options.split = DatasetSplit(name: split)!
      options.recipe.words = words
      options.recipe.nonCommandWords = nonCommandWords
      options.recipe.gapClips = gapClips
      options.recipe.seed = seed
      options.thresholds = try thresholdList()
      options.measureNoise = !noNoise
      let source: DataSource = manifest.map { .manifest($0) } ?? .folder(data!)
      let modelPath = try FlagNames.mapping { try ModelLocator.resolve(explicit: model.model) }
      let classifier = try Classifier(modelAt: modelPath)
      options.detector = detection.detectorOptions(operatingPoint: classifier.operatingPoint)
      MemoryTuning.keepLargeAllocations()
      let report = try FlagNames.mapping {
        try ListenBenchmark.run(
          classifier: classifier, modelPath: modelPath, data: source, options: options,
          status: { LineOutput.warn("bench listen: \($0)") })
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      let json = String(decoding: try encoder.encode(report), as: UTF8.self)
      if let out {
        try OutputFile.makeDirectory(out)
        // The curve first: a JSON report is not left without its curve.
        try OutputFile.write(
          SVGChart.detectionCurve(
            report.points, highlight: report.defaultThreshold,
            title: "listen on \(report.split) voices: DET curve"),
          to: out + "/det.svg")
        try OutputFile.write(json + "\n", to: out + "/listen-bench.json")
      }
      let output = LineOutput()
      let lines =
        format == .json ? [json] : report.lines(thresholdGiven: detection.threshold != nil)
      for line in lines { output.write(line) }
      output.flush()
    }
  }
}
