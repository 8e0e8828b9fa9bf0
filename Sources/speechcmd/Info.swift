import ArgumentParser
import Foundation
import SpeechAudio

extension SpeechCmd {
  /// `speechcmd info FILE…`: the header of each audio file, one line per file.
  struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "info",
      abstract: "Show format, encoding, channels, sample rate, frames and duration of audio files.",
      discussion: """
        Prints one line per file to standard output. A file that cannot be read gets one line on \
        standard error naming it and the reason; the others are still shown, and the exit status \
        is 1 if any file failed.
        """)

    @Argument(help: ArgumentHelp("Audio files (any format libsndfile reads).", valueName: "file"))
    var files: [String]

    func run() throws {
      var output = StandardOutput()
      var errors = StandardError()
      let failures = report(to: &output, errors: &errors)
      if failures > 0 { throw ExitCode.failure }
    }

    /// Writes one line per file to `output` (readable) or `errors` (failed); returns the number
    /// of files that failed.
    func report(to output: inout some TextOutputStream, errors: inout some TextOutputStream) -> Int
    {
      var failures = 0
      for file in files {
        do {
          print(Self.line(for: try AudioFile.info(at: file)), to: &output)
        } catch {
          print(error.description, to: &errors)
          failures += 1
        }
      }
      return failures
    }

    /// "a.wav: WAV PCM_16, 1 channel, 16000 Hz, 16000 frames, 1.000 s".
    static func line(for info: AudioFileInfo) -> String {
      let channels = info.channels == 1 ? "1 channel" : "\(info.channels) channels"
      return "\(info.path): \(info.format) \(info.subtype), \(channels), \(info.sampleRate) Hz, "
        + "\(info.frames) frames, \(formatted(info.duration)) s"
    }

    /// `seconds` with exactly three decimals, without Foundation's locale-dependent formatting.
    private static func formatted(_ seconds: Double) -> String {
      let millis = Int64((seconds * 1000).rounded())
      let fraction = String(millis % 1000)
      return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
  }
}

/// Standard output as a `TextOutputStream`, for `print(_:to:)`.
private struct StandardOutput: TextOutputStream {
  mutating func write(_ string: String) {
    print(string, terminator: "")
  }
}

/// Standard error as a `TextOutputStream`, for diagnostics.
private struct StandardError: TextOutputStream {
  mutating func write(_ string: String) {
    FileHandle.standardError.write(Data(string.utf8))
  }
}
