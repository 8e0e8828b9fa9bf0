import ArgumentParser
import SpeechCommands

/// The command line's names for the libraries' settings: the libraries describe a bad value in
/// their own terms (`SettingError`, `ModelLoadError`, `TrainingError`), and this is where those
/// terms become flags.
enum FlagNames {
  /// Setting path (see `SettingError.setting`) → flag, for every command's options type.
  static let flags: [String: String] = [
    // ClassifyOptions
    "topK": "--top-k", "threads": "--threads", "windowHopSeconds": "--window-hop",
    "threshold": "--threshold",
    // SlidingWindowDetector.Options
    "strideSeconds": "--stride", "recognizer.averageWindowMs": "--average-window",
    "recognizer.suppressionMs": "--suppression", "recognizer.detectionThreshold": "--threshold",
    "recognizer.minimumCount": "--minimum-count",
    // TrainingOptions, FrontEndConfig
    "mfcc": "--mfcc",
    "hidden": "--hidden", "dropout": "--dropout", "epochs": "--epochs",
    "batchSize": "--batch-size",
    "learningRate": "--lr", "labelSmoothing": "--label-smoothing",
    "weightDecay": "--weight-decay", "positiveWeight": "--pos-weight", "patience": "--patience",
    "stepEpochs": "--step-epochs", "augmentation.timeShiftSeconds": "--time-shift",
    "augmentation.noiseProbability": "--noise-prob", "augmentation.noiseVolume": "--noise-volume",
    "augmentation.gainDB": "--gain-db", "augmentation.speedPerturbation": "--speed",
    // RetrainingOptions
    "retraining.distillWeight": "--distill", "retraining.temperature": "--distill-temperature",
    "retraining.anchor": "--anchor", "retraining.minimumRowsPerLabel": "--minimum-rows",
    "retraining.invertedShare": "--inverted-rows", "retraining.reversedShare": "--reversed-rows",
    "retraining.memoryJitter": "--memory-jitter", "retraining.newLabelBias": "--new-label-bias",
    "featureMasks": "--time-masks, --time-mask-frames, --freq-masks and --freq-mask-width",
    "augmentation.noiseSNR": "--noise-snr", "mixupAlpha": "--mixup", "weightAverageDecay": "--ema",
  ]

  /// `--top-k must be at least 1`; a setting without a flag keeps the library's description.
  static func message(_ error: SettingError) -> String {
    guard let flag = flags[error.setting] else { return error.description }
    return "\(flag) \(error.requirement)"
  }

  /// A `ValidationError` (exit status 64, with usage) naming the flag of `error`.
  static func validation(_ error: SettingError) -> ValidationError {
    ValidationError(message(error))
  }

  /// Runs `body` (a command's `validate`) turning `SettingError` into a `ValidationError`.
  static func validating(_ body: () throws(SettingError) -> Void) throws {
    do throws(SettingError) { try body() } catch { throw validation(error) }
  }

  /// `error` with the flags a user can change to fix it: a `SettingError` as a
  /// `ValidationError`, a missing model with `--model` and `SPEECHCMD_MODEL`, divergence with
  /// `--lr` and `--clip`; anything else unchanged.
  static func withFlags(_ error: Error) -> Error {
    switch error {
    case let error as SettingError:
      return validation(error)
    case ModelLoadError.modelNotFound(let searched):
      return CommandLineError(
        "no model given: pass --model FILE or set SPEECHCMD_MODEL; the demo model "
          + "samples/model.safetensors was not found" + ModelLoadError.places(searched))
    case let error as TrainingError:
      guard case .diverged = error else { return error }
      return CommandLineError(
        "\(error). Lower the learning rate (--lr) or enable gradient clipping (--clip)")
    default:
      return error
    }
  }

  /// Runs `body`, rethrowing its errors through `withFlags`.
  static func mapping<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw withFlags(error) }
  }
}

/// An error the command line words itself (one line, exit status 1).
struct CommandLineError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
