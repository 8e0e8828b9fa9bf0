import ArgumentParser
import Foundation
import SpeechAudio
import SpeechCommands
import SpeechFeatures

extension SpeechCmd {
  /// `speechcmd features FILE`: the MFCC matrix of one recording.
  struct Features: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "features",
      abstract: "Print the MFCC matrix of an audio file.",
      discussion: """
        The file is decoded to mono at the preset's sample rate (resampled if needed) and printed \
        one frame per line (text: space-separated, csv: comma-separated with a header), or as one \
        JSON object {"file", "sampleRate", "preset", "frames", "coefficients", "data"}. Presets: \
        \(MFCCConfig.presetNames.joined(separator: ", ")).
        """)

    @Argument(help: ArgumentHelp("Audio file (any format libsndfile reads).", valueName: "file"))
    var file: String

    @Option(help: "MFCC preset: \(MFCCConfig.presetNames.joined(separator: ", ")).")
    var preset: String = "training"

    @Option(help: "Output format: text, csv or json.")
    var format: FeatureFormat = .text

    func validate() throws {
      guard MFCCConfig.preset(named: preset) != nil else {
        throw ValidationError(FeatureError.unknownPreset(name: preset).description)
      }
    }

    func run() throws {
      let output = LineOutput()
      for line in try render() { output.write(line) }
      output.flush()
    }

    /// The output lines for `file`.
    func render() throws -> [String] {
      guard let config = MFCCConfig.preset(named: preset) else {
        throw FeatureError.unknownPreset(name: preset)
      }
      let samples = try AudioFile.read(at: file, sampleRate: config.sampleRate)
      let matrix = try MFCC(config: config).compute(samples)
      return format.lines(matrix, file: file, sampleRate: config.sampleRate, preset: preset)
    }
  }
}
