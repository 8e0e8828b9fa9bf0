import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechBench

/// `bench classify`'s plumbing on a tiny folder (the figures themselves are not tested).
@Suite struct ClassifyBenchmarkTests {
  /// A file that cannot be classified is named once and counted nowhere: two broken files of
  /// six once reported six files classified.
  @Test func filesThatCannotBeClassifiedAreLeftOut() throws {
    let folder = try TemporaryFolder("speechcmd-bench")
    let classifier = try Classifier(model: SyntheticWords.trainModel())
    var rng = SeededGenerator(seed: 4)
    for (i, word) in ["low", "high"].enumerated() {
      try AudioFile.write(
        SyntheticWords.clip(word, sampleRate: classifier.sampleRate, using: &rng),
        sampleRate: classifier.sampleRate, to: folder.file("\(i).wav"))
    }
    try Data("not audio".utf8).write(to: URL(fileURLWithPath: folder.file("broken.wav")))
    var warnings: [String] = []
    let result = try ClassifyBenchmark.run(
      directory: folder.path, classifier: classifier, threads: [1], runs: 1, listenSeconds: 1,
      warn: { warnings.append($0) })
    #expect(result.files == 2)
    #expect(warnings.count == 1 && warnings[0].contains("broken.wav"), "\(warnings)")
    #expect((result.filesPerSecond["1"] ?? 0) > 0)
  }
}
