import ArgumentParser
import Foundation
import SpeechBench
import SpeechCommands
import SpeechModel

extension SpeechCmd.Bench {
  /// `speechcmd bench stream DATA OUT.wav OUT.csv`: a long test recording for `listen --truth`.
  struct Stream: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "stream",
      abstract: "Build a long test recording and its truth for 'listen --truth'.",
      discussion: """
        Like TensorFlow's generate_streaming_test_wav.py: a second of background, then random \
        clips of random words (DATA/<word>/, folders not starting with '_'), each followed by a \
        random gap, with background noise mixed under the whole stream. Writes the WAV (16-bit, \
        --sample-rate) and the truth CSV (label,time_seconds per word: where its clip starts). \
        The same --seed and data give the same files.
        """)

    @Argument(help: ArgumentHelp("Folder in the Speech Commands layout.", valueName: "data"))
    var data: String
    @Argument(help: ArgumentHelp("The stream to write.", valueName: "out.wav"))
    var wavPath: String
    @Argument(help: ArgumentHelp("Its truth CSV to write.", valueName: "out.csv"))
    var truthPath: String

    @Option(help: "Number of command words.")
    var words: Int = 50
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @Option(help: "Shortest gap after each clip, in seconds.")
    var gapMin: Double = 1.5
    @Option(help: "Longest gap after each clip, in seconds.")
    var gapMax: Double = 2.5
    @Option(help: "Background noise (default: the first file of DATA/_background_noise_/).")
    var noise: String?
    @Option(help: "Gain of the noise (0 for none).")
    var noiseVolume: Float = 0.1
    @Option(
      help: "After every K words also place a DATA/_unknown_ clip (not in the truth; 0: none).")
    var unknownEvery: Int = 0
    @Option(help: "Sample rate of the stream, in Hz.")
    var sampleRate: Int = 16000

    func validate() throws {
      // Bounds far above any test stream, so that its length in samples is a sane number.
      if !(1...100_000).contains(words) { throw ValidationError("--words must be 1…100000") }
      if unknownEvery < 0 { throw ValidationError("--unknown-every must be 0 or more") }
      if !(gapMin >= 0 && gapMax >= gapMin && gapMax <= 60) {
        throw ValidationError("--gap-min must be 0 or more and at most --gap-max, at most 60 s")
      }
      if !(0...10).contains(noiseVolume) { throw ValidationError("--noise-volume must be 0…10") }
      if !(1000...384_000).contains(sampleRate) {
        throw ValidationError("--sample-rate must be 1000…384000 Hz")
      }
      // A clip and an unknown clip of up to a second each, and the longest gap, per word: a
      // stream is held in memory as floats, so at most 2^28 samples (1 GB; 4.6 hours at 16 kHz).
      let longest = Double(words) * (2 + gapMax) * Double(sampleRate)
      if longest > Double(Self.maximumSamples) {
        throw ValidationError(
          "a stream of \(words) words with gaps up to \(gapMax) s at \(sampleRate) Hz could hold "
            + "\(Int(longest)) samples, more than \(Self.maximumSamples): ask for fewer words, "
            + "shorter gaps or a lower rate")
      }
      // Both outputs are checked before any is written: a truth file that cannot be written
      // left a new stream beside the old truth.
      for output in [wavPath, truthPath] {
        do { try OutputFile.checkWritable(output) } catch {
          throw ValidationError("\(error)")
        }
      }
      if Self.resolved(wavPath) == Self.resolved(truthPath) {
        throw ValidationError("the stream and its truth file must be two different files")
      }
      let folder = URL(fileURLWithPath: data).resolvingSymlinksInPath().path + "/"
      for output in [wavPath, truthPath] where Self.resolved(output).hasPrefix(folder) {
        throw ValidationError(
          "'\(output)' lies inside the data folder '\(data)': write it elsewhere")
      }
    }

    /// The most samples a stream may hold (1 GB of floats).
    static let maximumSamples = 1 << 28

    /// `path` with its folder's symbolic links and `..` resolved (the folder must exist for
    /// that; otherwise `path` as given), to tell whether two paths name one file.
    static func resolved(_ path: String) -> String {
      let url = URL(fileURLWithPath: path)
      return url.deletingLastPathComponent().resolvingSymlinksInPath()
        .appendingPathComponent(url.lastPathComponent).path
    }

    func run() throws {
      var recipe = StreamRecipe()
      recipe.words = words
      recipe.unknownEvery = unknownEvery
      recipe.noise = noise
      var rng = SeededGenerator(seed: seed)
      var options = StreamBuilder.Options()
      options.sampleRate = sampleRate
      options.gapSeconds = gapMin...gapMax
      options.noiseVolume = noiseVolume
      let builder = StreamBuilder(options: options)
      do {
        let (clips, noise) = try recipe.load(from: data, sampleRate: sampleRate, using: &rng)
        let (audio, truth) = builder.build(clips: clips, noise: noise, using: &rng)
        try builder.write(audio: audio, truth: truth, wavPath: wavPath, truthPath: truthPath)
        LineOutput.warn(
          "bench stream: \(truth.count) words, "
            + String(format: "%.1f s", Double(audio.count) / Double(sampleRate))
            + " -> \(wavPath), \(truthPath)")
      } catch {
        LineOutput.warn("\(error)")
        throw ExitCode(1)
      }
    }
  }
}
