import ArgumentParser
import Foundation
import SpeechCommands
import SpeechModel

extension SpeechCmd {
  /// `speechcmd listen`: command words in a long recording or a live stream.
  struct Listen: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "listen",
      abstract: "Detect command words in a long recording or in raw PCM on standard input.",
      discussion: """
        Slides the model's window over the audio every --stride seconds, averages the \
        probabilities over --average-window, and reports a word when its average exceeds \
        --threshold, at most once per --suppression (TensorFlow's RecognizeCommands). These \
        settings default to the operating point stored in the model by training (see \
        'speechcmd info MODEL'), else to TensorFlow's values. Prints \
        'TIME  WORD  SCORE' per detection as it happens (TIME: start of the triggering window, \
        in seconds). '-' reads raw signed 16-bit little-endian mono PCM at --rate, e.g. \
        arecord -t raw -f S16_LE -r 16000 -c 1 | speechcmd listen -
        or a 16-bit WAV stream at its own rate and channels, e.g. \
        sox in.flac -b 16 -t wav - | speechcmd listen -
        """)

    @OptionGroup var model: ModelChoice

    @Option(
      help:
        "Sample rate in Hz of raw PCM on standard input, 1000…1000000 (resampled to the model's; default: 16000)."
    )
    var rate: Int?

    @OptionGroup var detection: DetectionArguments

    @Option(help: "Print 'TIME  WORD  SCORE' lines (table) or JSON lines.")
    var format: ListenFormat = .table

    @Option(
      help: ArgumentHelp(
        "Score the detections against ground truth (label,time_seconds lines), as TensorFlow's streaming test does.",
        valueName: "truth.csv"))
    var truth: String?

    @Option(
      help: "Seconds a detection may lie from its ground-truth word with --truth (default 0.75).")
    var tolerance: Double?

    @Argument(
      help: "Audio file, or '-' for raw S16_LE mono PCM (or a 16-bit WAV) on standard input.")
    var input: String

    func validate() throws {
      // Rates a microphone or file can have; beyond them the resampler refused at run time.
      if input == "-" && StandardStreams.inputWasClosed {
        throw ValidationError("standard input is closed: give an audio file, or pipe raw PCM in")
      }
      if let rate {
        if !(1_000...1_000_000).contains(rate) {
          throw ValidationError("--rate must be 1000…1000000 Hz")
        }
        // A file's rate is in its header: a --rate beside it was silently ignored.
        if input != "-" {
          throw ValidationError("--rate is for raw PCM on standard input ('-'), not for a file")
        }
      }
      if let tolerance {
        if !(tolerance >= 0) { throw ValidationError("--tolerance must not be negative") }
        if !(tolerance <= 3600) {
          throw ValidationError("--tolerance must be at most 3600 seconds")
        }
        if truth == nil { throw ValidationError("--tolerance needs --truth") }
      }
    }

    func run() throws {
      let truthWords = try truth.map { path throws(TruthFileError) in try TruthFile.read(at: path) }
      let classifier = try model.load()
      let detector = try FlagNames.mapping {
        try SlidingWindowDetector(
          classifier: classifier,
          options: detection.detectorOptions(operatingPoint: classifier.operatingPoint))
      }
      MemoryTuning.keepLargeAllocations()
      let source: ListenInput =
        input == "-"
        ? .rawPCM(fileDescriptor: STDIN_FILENO, sampleRate: rate) : .file(input)
      let output = LineOutput()
      var found: [TimedLabel] = []
      try ListenInputLoop.run(
        source, detector: detector,
        onNotice: {
          output.flush()
          LineOutput.warn("warning: \($0)")
        }
      ) { detection in
        output.write(format.line(detection), flush: true)
        if truthWords != nil {
          found.append(TimedLabel(label: detection.label, time: detection.time))
        }
      }
      if let truthWords {
        let tolerance = self.tolerance ?? 0.75
        let score = DetectionScorer.score(
          truth: truthWords, detections: found,
          toleranceMs: Int64((tolerance * 1000).rounded()))
        output.write(format.summary(score, tolerance: tolerance), flush: true)
      }
    }
  }
}
