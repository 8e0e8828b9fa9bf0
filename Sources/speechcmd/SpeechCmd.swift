import ArgumentParser
import Foundation
import SpeechCommands
import SpeechFeatures

/// The `speechcmd` command line: argument parsing and printing only; all work is in the libraries.
@main
struct SpeechCmd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "speechcmd",
    abstract: "Recognise spoken command words in audio files.",
    version: "0.1.0",
    subcommands: [
      Info.self, Features.self, Train.self, Evaluate.self, Classify.self, Listen.self, Bench.self,
      Serve.self,
    ]
  )

  /// Subcommands that compute MFCCs (and so plan an FFT) whatever their options.
  static let featureCommands: Set<String> = [
    "classify", "listen", "evaluate", "features", "train", "serve", "bench",
  ]

  /// Parses the arguments and runs the command. For a command that computes features, FFTW's
  /// planner is first warmed up for the default front end's FFT length on another core, while
  /// this thread parses arguments and loads the model (`RealFFT.warmUp`): ~1 ms of a one-file
  /// `classify`. A model with another FFT length plans its own as before.
  static func main() {
    StandardStreams.reserveStandardDescriptors()
    StandardStreams.checkPrintedOutputAtExit()
    if let command = CommandLine.arguments.dropFirst().first, featureCommands.contains(command) {
      RealFFT.warmUp(length: FrontEndConfig.default.mfcc.fftLength)
    }
    if let bad = firstArgumentNotUTF8() {
      LineOutput.warn(
        "argument \(bad.index) ('\(bad.text)') is not valid UTF-8: speechcmd reads file names and "
          + "options in UTF-8 only (rename the file, e.g. with convmv)")
      exit(withError: ExitCode(64))
    }
    run(attachingNegativeNumbers(Array(CommandLine.arguments.dropFirst())))
  }

  /// The first command-line argument whose bytes are not UTF-8 (1-based, and as Swift shows it,
  /// with replacement characters). Swift decodes such bytes into U+FFFD, so a file named in
  /// Latin-1 was reported as missing under a name it does not have.
  static func firstArgumentNotUTF8() -> (index: Int, text: String)? {
    for index in 1..<Int(CommandLine.argc) {
      guard let pointer = CommandLine.unsafeArgv[index] else { continue }
      let bytes = UnsafeBufferPointer(start: pointer, count: strlen(pointer))
        .map { UInt8(bitPattern: $0) }
      if String(validating: bytes, as: UTF8.self) == nil {
        return (index, String(decoding: bytes, as: UTF8.self))
      }
    }
    return nil
  }

  /// Parses and runs like swift-argument-parser's `main`, except for errors a command throws
  /// while running (a model that cannot be loaded, data that cannot be read): those are one
  /// line, `speechcmd: …`, as every other diagnostic of the program, instead of the parser's
  /// `Error: …`. Usage errors keep the parser's form, with the usage line.
  static func run(_ arguments: [String]) -> Never {
    var command: ParsableCommand
    do {
      command = try parseAsRoot(arguments)
    } catch {
      exit(withError: error)
    }
    do {
      try command.run()
      exit()
    } catch let error as ExitCode {
      exit(withError: error)
    } catch let error as TrainingError where error == .interruptedBeforeFirstEpoch {
      // Ctrl-C exits 130 with or without a model saved.
      LineOutput.warn(message(for: error))
      exit(withError: ExitCode(130))
    } catch {
      let code = exitCode(for: error)
      if code.isSuccess { exit(withError: error) }
      LineOutput.warn(message(for: error))
      exit(withError: code)
    }
  }

  /// `--threshold -1` as `--threshold=-1` (and `--noise-snr -5:20` as `--noise-snr=-5:20`): the
  /// argument parser takes a token starting with `-` for an option, so a negative value after a
  /// long option was reported as a missing value instead of being checked (and refused with the
  /// option's range).
  static func attachingNegativeNumbers(_ arguments: [String]) -> [String] {
    var out: [String] = []
    var positionalOnly = false  // after `--` every argument is positional
    for argument in arguments {
      if !positionalOnly, argument.hasPrefix("-"), isNumbers(argument), let option = out.last,
        option.hasPrefix("--"), option != "--", !option.contains("=")
      {
        out[out.count - 1] = option + "=" + argument
      } else {
        out.append(argument)
        positionalOnly = positionalOnly || argument == "--"
      }
    }
    return out
  }

  /// A number, or numbers joined by ':' (a range such as `-5:20`).
  private static func isNumbers(_ argument: String) -> Bool {
    argument.split(separator: ":", omittingEmptySubsequences: false).allSatisfy {
      Double($0) != nil
    }
  }
}
