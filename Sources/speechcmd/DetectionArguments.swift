import ArgumentParser
import SpeechCommands

/// `listen`'s detection settings (TensorFlow's RecognizeCommands), shared by `listen` and
/// `bench listen`: each one given overrides the model's operating point, which overrides
/// `listen`'s defaults.
struct DetectionArguments: ParsableArguments {
  @Option(help: "Seconds between window starts.")
  var stride: Double = 0.03

  @Option(
    help:
      "Seconds of window results averaged (default: the model's operating point, else 0.5).")
  var averageWindow: Double?

  @Option(
    help:
      "Averaged probability a word must exceed to be reported (default: the model's operating point, else 0.7)."
  )
  var threshold: Float?

  @Option(
    help:
      "Seconds after a detection during which no other word is reported (default: the model's operating point, else 1.5)."
  )
  var suppression: Double?

  @Option(
    help:
      "Window results needed in the averaging window before anything is reported (default: the model's operating point, else 3)."
  )
  var minimumCount: Int?

  /// Whether any setting besides the stride was given.
  var overridesOperatingPoint: Bool {
    averageWindow != nil || threshold != nil || suppression != nil || minimumCount != nil
  }

  /// Throws a usage error for a setting out of range.
  func validate() throws {
    let options = detectorOptions(operatingPoint: nil)
    try FlagNames.validating { () throws(SettingError) in try options.validate() }
  }

  /// `seconds` in whole milliseconds; -1 (rejected by validation) for a negative, non-finite or
  /// absurdly large value.
  static func milliseconds(_ seconds: Double) -> Int64 {
    seconds >= 0 && seconds < 1e12 ? Int64((seconds * 1000).rounded()) : -1
  }

  /// The library options these arguments describe: `listen`'s defaults, then the model's
  /// operating point (if any), then the flags given.
  func detectorOptions(operatingPoint: OperatingPoint?) -> SlidingWindowDetector.Options {
    var options = SlidingWindowDetector.Options()
    options.strideSeconds = stride
    if let operatingPoint {
      options.recognizer = operatingPoint.applied(to: options.recognizer)
    }
    if let averageWindow {
      options.recognizer.averageWindowMs = Self.milliseconds(averageWindow)
    }
    if let threshold { options.recognizer.detectionThreshold = threshold }
    if let suppression { options.recognizer.suppressionMs = Self.milliseconds(suppression) }
    if let minimumCount { options.recognizer.minimumCount = minimumCount }
    return options
  }
}
