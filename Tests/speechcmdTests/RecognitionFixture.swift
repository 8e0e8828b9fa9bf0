import ArgumentParser
import Foundation
import SpeechAudio
import SpeechBench
import SpeechCommands
import SpeechModel
import SpeechTestSupport

@testable import speechcmd

/// A synthetic-words model and recordings on disk for the classify/listen command tests, made
/// once per test process in a temporary folder that is removed at exit.
enum RecognitionFixture {
  static let folder: String = {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("speechcmd-recognition-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: RecognitionFixture.folder) }
    return path
  }()

  /// The trained model's path.
  static let model: String = {
    let path = folder + "/model.safetensors"
    do { try SyntheticWords.trainModel().save(to: path) } catch { fatalError("\(error)") }
    return path
  }()

  /// The same model with every parameter zero: probability 1/5 for each label, whatever the input.
  static let uniformModel: String = {
    let path = folder + "/uniform.safetensors"
    do {
      var model = try ModelFile.load(at: RecognitionFixture.model)
      let n = model.network
      model.network = MLP(
        inputSize: n.inputSize, hidden: n.hidden, outputSize: n.outputSize,
        parameters: [Float](repeating: 0, count: n.parameterCount))
      try model.save(to: path)
    } catch { fatalError("\(error)") }
    return path
  }()

  /// Clips of known words, written at 16 kHz (the model reads 8 kHz): `clips[i]` holds `words[i]`.
  static let words = ["low", "high", "sweep", "low", "sweep", "high"]
  static let clips: [String] = {
    var rng = SeededGenerator(seed: 77)
    return words.enumerated().map { i, word in
      let path = folder + "/clips/\(i)-\(word).wav"
      try? FileManager.default.createDirectory(
        atPath: folder + "/clips", withIntermediateDirectories: true)
      try! AudioFile.write(SyntheticWords.clip(word, using: &rng), sampleRate: 16000, to: path)
      return path
    }
  }()

  /// A 20 s stream of synthetic words and its truth CSV.
  static let stream: (wav: String, truth: String) = {
    var rng = SeededGenerator(seed: 5)
    let clips = (0..<6).map { i -> (label: String, samples: [Float]) in
      let word = SyntheticWords.words[i % 3]
      return (word, SyntheticWords.clip(word, sampleRate: 8000, using: &rng))
    }
    var options = StreamBuilder.Options()
    options.sampleRate = 8000
    let builder = StreamBuilder(options: options)
    let (audio, truth) = builder.build(
      clips: clips, noise: SyntheticWords.noise(count: 8000, level: 0.05, using: &rng), using: &rng)
    let paths = (folder + "/stream.wav", folder + "/stream.csv")
    try! builder.write(audio: audio, truth: truth, wavPath: paths.0, truthPath: paths.1)
    return paths
  }()

  /// The `speechcmd` executable next to this test bundle, if it was built.
  static var binary: String? {
    let folder = Bundle.module.bundleURL.deletingLastPathComponent()
    let path = folder.appendingPathComponent("speechcmd").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
  }

  /// Runs `arguments` in-process; returns the exit status and what was printed.
  static func run(_ arguments: [String]) -> (status: Int32, output: String, errors: String) {
    let capture = OutputCapture()
    var status: Int32 = 0
    LineOutput.$capture.withValue(capture) {
      do {
        var command = try SpeechCmd.parseAsRoot(arguments)
        try command.run()
      } catch {
        status = SpeechCmd.exitCode(for: error).rawValue
        let message = SpeechCmd.message(for: error)
        if !message.isEmpty { capture.append(error: message + "\n") }
      }
    }
    return (status, capture.output, capture.errors)
  }

  /// The output's lines (without the trailing empty one).
  static func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  /// The JSON object of one `--format jsonl` line.
  static func json(_ line: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
  }
}
