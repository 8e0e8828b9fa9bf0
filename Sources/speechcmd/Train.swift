import ArgumentParser
import Foundation
import SpeechCommands
import SpeechFeatures
import SpeechModel

extension SpeechCmd {
  /// `speechcmd train`: a model from labelled recordings, or a retrained one (`--from`).
  struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "train",
      abstract: "Train a model on labelled recordings, or retrain one with new recordings.",
      discussion: """
        DATA holds one folder per label (DATA/<label>/*.wav, any format libsndfile reads); \
        _background_noise_/ holds noise for augmentation. validation_list.txt and testing_list.txt \
        are honoured; otherwise TensorFlow's hash rule splits by speaker. --manifest reads a CSV \
        'path,label[,split]' instead. Retrain with --from OLD.safetensors NEW_DATA [--data OLD_DATA]. \
        Ctrl-C saves the best model so far and exits with status 130.
        """)

    @Argument(help: "Data folder (DATA/<label>/<files>); for retraining, the new recordings.")
    var data: String?

    @Option(help: "CSV manifest 'path,label[,split]' instead of a DATA folder.")
    var manifest: String?

    @Option(help: "Where to write the model (.safetensors).")
    var out: String

    @Option(
      help:
        "Continue from this model: same features and normalisation, old labels kept, new labels added."
    )
    var from: String?

    @Option(
      name: .customLong("data"),
      help:
        "Extra recordings to mix in (a folder or a .csv manifest), e.g. the old model's data when retraining. Repeatable."
    )
    var mixData: [String] = []

    @Option(
      help: ArgumentHelp(
        "Words to recognise, comma-separated; other labels become _unknown_ and a _silence_ class is made from background noise.",
        valueName: "a,b,..."))
    var words: String?

    @Option(help: "_unknown_ clips per split, in % of the words' clips (with --words).")
    var unknownPercent: Double = 10

    @Option(help: "Generated _silence_ clips per split, in % of the words' clips (with --words).")
    var silencePercent: Double = 10

    @Option(help: "Validation share (%) of the hash split.")
    var validationPercent: Double = 10

    @Option(help: "Test share (%) of the hash split.")
    var testPercent: Double = 10

    @Option(
      help: ArgumentHelp(
        "MFCC preset of a new model (\(MFCCConfig.presetNames.joined(separator: ", "))); default: training (hello-edge with deltas and per-utterance mean removal).",
        valueName: "name"))
    var preset: String?

    @Option(
      help: "Clip length in seconds; recordings are padded or cropped around their loudest part.")
    var clipSeconds: Double = 1

    @Option(
      help:
        "Length in seconds of the loudest part that is centred in every clip (at most --clip-seconds)."
    )
    var focusSeconds: Double = 0.5

    @Option(
      help:
        "Views of each clip whose probabilities a new model averages when classifying: the clip moved by --view-spacing steps around its centre (5: -80, -40, 0, 40, 80 ms; 1: the clip alone)."
    )
    var views: Int = FrontEndConfig.defaultViewShifts.count

    @Option(help: "Seconds between the views of a clip.")
    var viewSpacing: Double = 0.04

    @Option(
      help: ArgumentHelp(
        "Override one MFCC setting of the preset, e.g. coefficients=20 or deltas=first. Repeatable.",
        valueName: "key=value"))
    var mfcc: [String] = []

    @OptionGroup var hyper: TrainingArguments

    @OptionGroup(title: "Retraining") var retraining: RetrainingArguments

    @Option(
      help:
        "Training clips per label whose features (not audio) the model keeps, so that retraining it without the old recordings can replay them; 0: none."
    )
    var memoryRows: Int = 64

    @Option(
      help: """
        Folder of extra background-noise recordings for augmentation and _silence_ (without any, \
        a new model's clips get generated white and pink noise).
        """)
    var noise: String?

    @Option(help: "Most unreadable audio files to skip (with a warning) before giving up.")
    var maxUnreadable: Int = 10

    @Option(help: "Folder for metrics.json, confusion.svg and curves.svg.")
    var report: String?

    @Option(help: "Write one JSON object per epoch to this file.")
    var logJSON: String?

    @Flag(
      help:
        "Do not fit listen's operating point (threshold, averaging window) on streams of the validation split."
    )
    var noOperatingPoint = false

    @Flag(
      inversion: .prefixedNo,
      help:
        "Train again on training + validation clips once validation has measured and calibrated the network (default on; --no-refit keeps the first network)."
    )
    var refit = true

    @Flag(help: "No progress output (results and errors only).")
    var quiet = false

    func validate() throws {
      if (data == nil) == (manifest == nil) {
        throw ValidationError("give either a DATA folder or --manifest FILE")
      }
      if out.isEmpty { throw ValidationError("--out must name the model file to write") }
      if let preset, MFCCConfig.preset(named: preset) == nil {
        throw ValidationError(
          "unknown --preset '\(preset)' (choose from \(MFCCConfig.presetNames.joined(separator: ", ")))"
        )
      }
      if !(clipSeconds > 0 && clipSeconds <= 10) {
        throw ValidationError("--clip-seconds must be in (0, 10]")
      }
      if !(focusSeconds > 0 && focusSeconds <= clipSeconds) {
        throw ValidationError("--focus-seconds must be in (0, --clip-seconds]")
      }
      if !(1...15).contains(views) { throw ValidationError("--views must be in 1…15") }
      if !(viewSpacing > 0 && Double(views - 1) / 2 * viewSpacing <= clipSeconds / 2) {
        throw ValidationError(
          "--view-spacing must be positive, and the views must stay within half a clip of its centre"
        )
      }
      for p in [unknownPercent, silencePercent, validationPercent, testPercent]
      where !(0...1000).contains(p) {
        throw ValidationError("percentages must be between 0 and 1000")
      }
      if validationPercent + testPercent >= 100 {
        throw ValidationError("--validation-percent plus --test-percent must be below 100")
      }
      if maxUnreadable < 0 { throw ValidationError("--max-unreadable must not be negative") }
      if !(0...4096).contains(memoryRows) {
        throw ValidationError("--memory-rows must be in 0…4096")
      }
      try FlagNames.validating { () throws(SettingError) in
        _ = try FrontEndConfig(mfcc: presetConfig).applyingMFCCOverrides(mfcc)
      }
      if from != nil {
        // The old model's network and front end are kept; these options would be ignored.
        let ignored = [
          ("--hidden", hyper.hidden != nil), ("--conv", hyper.conv != nil),
          ("--loss", hyper.loss != nil),
          ("--preset", preset != nil), ("--mfcc", !mfcc.isEmpty),
          ("--clip-seconds", clipSeconds != 1),
          ("--focus-seconds", focusSeconds != 0.5),
          ("--views", views != FrontEndConfig.defaultViewShifts.count),
          ("--view-spacing", viewSpacing != 0.04),
        ].filter(\.1).map(\.0)
        if !ignored.isEmpty {
          throw ValidationError(
            "\(ignored.joined(separator: ", ")) describe a new model; with --from the old model's network and front end are kept"
          )
        }
      }
      if from == nil && retraining.isGiven {
        throw ValidationError(
          "--distill, --distill-temperature, --anchor, --minimum-rows, --inverted-rows, --reversed-rows, --memory-jitter, --new-label-bias and --imprint need --from"
        )
      }
      let defaults = retrainingDefaults
      let options = try hyper.options(base: defaults?.options ?? TrainingOptions())
      let retrainingOptions = retraining.options(base: defaults?.retraining ?? RetrainingOptions())
      try FlagNames.validating { () throws(SettingError) in
        try options.validate()
        try retrainingOptions.validate()
      }
    }

    /// The MFCC settings before `--mfcc` overrides: `--preset`, else the training default.
    var presetConfig: MFCCConfig {
      preset.flatMap { MFCCConfig.preset(named: $0) } ?? .training
    }

    /// The defaults the options change when retraining (nil for a new model): with the old
    /// data, with the old model's memory, or with the network alone.
    var retrainingDefaults: RetrainingDefaults? {
      from.map {
        RetrainingDefaults(
          model: $0, data: [manifest.map { .manifest($0) } ?? .folder(data ?? "")],
          mixesOldData: !mixData.isEmpty, memoryRows: memoryRows)
      }
    }

    /// The library request these arguments describe.
    func request() throws -> TrainingJob {
      let source: DataSource = manifest.map { .manifest($0) } ?? .folder(data!)
      var r = TrainingJob(data: [source], output: out)
      r.mixData = mixData.map { $0.lowercased().hasSuffix(".csv") ? .manifest($0) : .folder($0) }
      r.fromModel = from
      r.frontEnd = try FrontEndConfig(
        mfcc: presetConfig, clipSeconds: clipSeconds, focusSeconds: focusSeconds,
        viewShifts: FrontEndConfig.viewShifts(count: views, spacing: viewSpacing)
      )
      .applyingMFCCOverrides(mfcc)
      r.fitsMelRangeToRecordings = !mfcc.contains { $0.hasPrefix("maxFrequency=") }
      r.labels = LabelOptions(
        words: words.map {
          $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        },
        unknownPercent: unknownPercent, silencePercent: silencePercent)
      r.split = HashSplitRule(validationPercent: validationPercent, testPercent: testPercent)
      let defaults = retrainingDefaults
      r.options = try hyper.options(base: defaults?.options ?? TrainingOptions())
      r.retraining = retraining.options(base: defaults?.retraining ?? RetrainingOptions())
      r.noiseFolder = noise
      r.maxUnreadable = maxUnreadable
      r.reportFolder = report
      r.logJSON = logJSON
      r.fitOperatingPoint = !noOperatingPoint
      r.refitsOnValidation = refit
      r.memoryRows = memoryRows
      if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) {
        r.date = Date(timeIntervalSince1970: epoch)
      }
      return r
    }

    func run() throws {
      try FlagNames.mapping { try train() }
    }

    private func train() throws {
      let session = try TrainingSession(request()) { if !quiet { LineOutput.warn($0) } }
      for warning in session.warnings { LineOutput.warn("warning: \(warning)") }
      if !quiet { for note in session.notes { LineOutput.warn("note: \(note)") } }
      let balance = session.splitBalance
      let validationExpected = validationPercent > 0
      if balance.isLopsided(validationExpected: validationExpected) {
        if session.fewTakeLabels.isEmpty
          || session.hashSplitBalance.isLopsided(validationExpected: validationExpected)
        {
          LineOutput.warn(Self.lopsidedSplitWarning(balance))
        } else if !refit && balance.trainingIsMinority {
          LineOutput.warn(Self.fewTakeSplitWarning(balance))
        }
        // Else the few-take rule made the split: with the second training every take trains the
        // saved network, and a label too few to spare takes for validation trains on all of them.
      }
      let monitor = InterruptMonitor()
      monitor.install()
      defer { monitor.uninstall() }
      var renderer = ProgressRenderer(isTerminal: isatty(2) != 0, width: terminalWidth())
      let summary = try session.run(
        observe: { event in
          if !quiet, let text = renderer.render(event) {
            StandardStreams.writeError(text)
          }
        }, shouldStop: { monitor.isInterrupted })
      let output = LineOutput()
      for line in summary.lines { output.write(line) }
      output.flush()
      if summary.stop == .interrupted { throw ExitCode(130) }
    }
  }
}

extension SpeechCmd.Train {
  /// The one warning about a lopsided split, with the numbers and what to do about it.
  static func lopsidedSplitWarning(_ balance: SplitBalance) -> String {
    let problem =
      balance.trainingIsMinority
      ? "the training split holds under half of the clips"
      : "the validation split is empty (no early stopping, calibration or operating point)"
    return "warning: \(problem): \(balance.summary). Pass a --manifest with a split column "
      + "(scripts/speaker-split.py writes one that splits by speaker), or move the hash rule's "
      + "cut points with --validation-percent and --test-percent (no help for a folder that is "
      + "itself one hashed partition, such as Speech Commands' test set)."
  }

  /// The warning for retraining on a few takes without the second training: the few-take rule
  /// (not the hash rule) held takes out for validation, and the saved network never learns them.
  static func fewTakeSplitWarning(_ balance: SplitBalance) -> String {
    "warning: the training split holds under half of the clips: \(balance.summary). Retraining "
      + "keeps max(2, 10%) of the takes of each label with fewer than \(FewTakeSplit.fewTakes) "
      + "for validation, and --no-refit keeps the network that never learned them: leave out "
      + "--no-refit, or pass --validation-percent 0 to train on every take."
  }
}

/// Columns of the terminal on standard error (100 when unknown).
func terminalWidth() -> Int {
  var size = winsize()
  if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
  return 100
}
