import ArgumentParser
import Foundation
import SpeechCommands
import SpeechModel

extension SpeechCmd {
  /// `speechcmd classify`: which word is in each file.
  struct Classify: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "classify",
      abstract: "Say which command word each audio file holds.",
      discussion: """
        PATH may be a file, a folder (searched recursively for audio files) or '-' to read paths \
        from standard input, one per line. Without --model the model named by SPEECHCMD_MODEL is \
        used, else the demo model samples/model.safetensors (looked for above the speechcmd \
        executable, then in the current directory). Files at another sample rate are resampled \
        to the model's. Exit status: 0 when every file was classified, 1 when any could not be \
        read (each is named on standard error), 64 for usage errors.
        """)

    @OptionGroup var model: ModelChoice

    @Option(name: .customLong("top-k"), help: "Report the K most likely labels per file.")
    var topK: Int = 1

    @Option(help: "Print a table, JSON lines or CSV (default: table on a terminal, else csv).")
    var format: ResultFormat?

    @Option(
      help:
        "Below this probability the label is _unknown_ (BCE models: when no label reaches it). Default: the model's stored threshold, if any."
    )
    var threshold: Float?

    @Flag(
      help:
        "Classify every window of recordings longer than the model's clip, with its start time, instead of only the loudest window."
    )
    var allWindows = false

    @Option(help: "Seconds between window starts with --all-windows (default: half the clip).")
    var windowHop: Double?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Argument(
      help: ArgumentHelp(
        "Audio files, folders, or '-' for paths on standard input.", valueName: "path"))
    var paths: [String]

    func validate() throws {
      if paths.isEmpty {
        throw ValidationError("give at least one PATH (or '-' to read paths from standard input)")
      }
      let options = self.options(threshold: threshold)
      try FlagNames.validating { () throws(SettingError) in try options.validate() }
      if windowHop != nil && !allWindows {
        throw ValidationError("--window-hop needs --all-windows")
      }
    }

    /// The library options these arguments describe.
    func options(threshold: Float?) -> ClassifyOptions {
      var options = ClassifyOptions()
      options.topK = topK
      options.threshold = threshold
      options.allWindows = allWindows
      options.windowHopSeconds = windowHop
      options.threads = threads
      return options
    }

    func run() throws {
      let classifier = try model.load()
      MemoryTuning.keepLargeAllocations()
      let options = self.options(threshold: threshold ?? classifier.storedThreshold)
      let batch = try FlagNames.mapping {
        try BatchClassifier(classifier: classifier, options: options)
      }
      let chosen = format ?? (isatty(STDOUT_FILENO) != 0 ? .table : .csv)
      let formatter = ResultFormatter(
        format: chosen, labels: classifier.labels, topK: topK, allWindows: allWindows)
      let output = LineOutput()
      if let header = formatter.header { output.write(header) }
      var failures = 0
      batch.run(AudioPaths(arguments: paths)) { result in
        switch result {
        case .classified(_, _, let notice):
          if let notice {
            output.flush()
            LineOutput.warn("warning: \(notice)")
          }
          for line in formatter.lines(for: result) { output.write(line) }
        case .failed(_, let reason):
          failures += 1
          output.flush()
          LineOutput.warn(reason)
        }
      }
      output.flush()
      if failures > 0 {
        LineOutput.warn("\(failures) file\(failures == 1 ? "" : "s") could not be classified")
        throw ExitCode(1)
      }
    }
  }
}
