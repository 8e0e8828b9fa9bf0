import ArgumentParser
import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel

/// Output formats of `speechcmd info`.
enum InfoFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}

extension SpeechCmd {
  /// `speechcmd info FILE…`: the header of each audio file, one line per file, or the card of
  /// each model file (`.safetensors`).
  struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "info",
      abstract: "Describe audio files (format, rate, duration) or model files (the model card).",
      discussion: """
        Audio files: one line per file (format, encoding, channels, sample rate, frames, \
        duration). Model files (*.safetensors): the model card: labels, front end, network, \
        loss, training data, accuracy per split, calibration and the operating point listen \
        uses; --format json prints it as one JSON object per model. A file that cannot be read \
        gets one line on standard error naming it and the reason; the others are still shown, \
        and the exit status is 1 if any file failed.
        """)

    @Argument(help: ArgumentHelp("Audio files or .safetensors models.", valueName: "file"))
    var files: [String]

    @Option(help: "Model cards as text or one JSON object per line (audio files: text only).")
    var format: InfoFormat = .text

    func run() throws {
      var output = StandardOutput()
      var errors = StandardError()
      let failures = report(to: &output, errors: &errors)
      if failures > 0 { throw ExitCode.failure }
    }

    /// Writes each file's description to `output` (readable) or one line to `errors` (failed);
    /// returns the number of files that failed.
    func report(to output: inout some TextOutputStream, errors: inout some TextOutputStream) -> Int
    {
      var failures = 0
      for file in files {
        do {
          if Self.isModel(file) {
            let card = try ModelCard.load(at: file)
            let text = format == .json ? try card.jsonString() : card.lines.joined(separator: "\n")
            print(text, to: &output)
          } else {
            // One line per file, also for a name holding a line break.
            print(
              TextEscaping.printable(Self.line(for: try AudioFile.info(at: file))), to: &output)
          }
        } catch {
          print("speechcmd: " + LineOutput.oneLine("\(error)"), to: &errors)
          failures += 1
        }
      }
      return failures
    }

    /// Whether `path` names a model file: by its `.safetensors` extension, or by its first bytes
    /// (`train --out m.bin` writes a model all the same).
    static func isModel(_ path: String) -> Bool {
      path.lowercased().hasSuffix(".safetensors") || ModelFile.looksLikeModel(at: path)
    }

    /// "a.wav: WAV PCM_16, 1 channel, 16000 Hz, 16000 frames, 1.000 s", plus
    /// " (cut short: its header announces 1.000 s)" when the file holds less than announced;
    /// "length unknown (cut short: the stream stops before its end)" when libsndfile cannot tell.
    static func line(for info: AudioFileInfo) -> String {
      let channels = info.channels == 1 ? "1 channel" : "\(info.channels) channels"
      let head =
        "\(info.path): \(info.format) \(info.subtype), \(channels), \(info.sampleRate) Hz, "
      if info.lengthUnknown {
        return head + "length unknown (cut short: the stream stops before its end)"
      }
      let cut = info.cutShort?.announcedSeconds.map {
        " (cut short: its header announces \(formatted($0)) s)"
      }
      return head + "\(info.frames) frames, \(formatted(info.duration)) s" + (cut ?? "")
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
    StandardStreams.writeError(string)
  }
}
