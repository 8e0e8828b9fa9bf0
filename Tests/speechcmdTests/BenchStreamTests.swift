import Foundation
import SpeechAudio
import SpeechCommands
import SpeechTestSupport
import Testing

/// `speechcmd bench stream` (and so `scripts/make-stream.sh`) on a small synthetic data folder.
@Suite struct BenchStreamTests {
  typealias F = RecognitionFixture

  @Test func sameSeedSameBytesAndATruthOfTheWordsAsked() throws {
    let folder = try TemporaryFolder("speechcmd-bench-stream")
    try SyntheticDataset.writeDataset(
      at: folder.file("data"), words: ["alpha", "bravo", "_unknown_"], takes: 3, noiseSeconds: 1)
    func make(_ name: String, seed: String) throws -> (wav: Data, truth: String) {
      let run = F.run([
        "bench", "stream", "--words", "6", "--unknown-every", "2", "--seed", seed,
        folder.file("data"), folder.file(name + ".wav"), folder.file(name + ".csv"),
      ])
      #expect(run.status == 0)
      return (
        try Data(contentsOf: URL(fileURLWithPath: folder.file(name + ".wav"))),
        try String(contentsOfFile: folder.file(name + ".csv"), encoding: .utf8)
      )
    }
    let a = try make("a", seed: "3")
    let b = try make("b", seed: "3")
    let c = try make("c", seed: "4")
    #expect(a.wav == b.wav && a.truth == b.truth)
    #expect(a.wav != c.wav)
    let rows = F.lines(a.truth)
    #expect(rows.first == "label,time_seconds" && rows.count == 7)
    #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("alpha,") || $0.hasPrefix("bravo,") })
    #expect(rows[1] == rows[1].split(separator: ",")[0] + ",1.000")
    // 6 one-second words and 3 unknown clips, each followed by a 1.5-2.5 s gap, after 1 s lead.
    let seconds = Double(try AudioFile.read(at: folder.file("a.wav")).count) / 16000
    #expect(seconds >= 1 + 9 * 2.5 && seconds <= 1 + 9 * 3.5)
  }

  @Test func aMissingFolderIsAOneLineError() {
    let run = F.run(["bench", "stream", "/no/such/data", "/tmp/x.wav", "/tmp/x.csv"])
    #expect(run.status == 1)
    #expect(run.errors == "speechcmd: '/no/such/data' is not a folder\n")
  }

  /// Writing the stream over one of its own clips (it replaced a sample clip once), both files to
  /// one path, and gaps or counts that would make an absurd stream are usage errors.
  @Test func outputsAndSizesAreCheckedFirst() throws {
    let folder = try TemporaryFolder()
    let source = try TemporaryFolder()
    let data = source.file("data")
    try SyntheticDataset.writeDataset(
      at: data, words: ["alpha", "bravo"], takes: 2, noiseSeconds: 1)
    let clip = try #require(
      FileManager.default.subpaths(atPath: data)?.sorted().first { $0.hasSuffix(".wav") })
    let before = try Data(contentsOf: URL(fileURLWithPath: data + "/" + clip))
    for arguments in [
      [data, data + "/" + clip, folder.file("t.csv")],
      [data, folder.file("s.wav"), folder.file("s.wav")],
      [data, folder.file("s.wav"), folder.file("t.csv"), "--gap-max", "1e300"],
      [data, folder.file("s.wav"), folder.file("t.csv"), "--words", "100000000"],
      // Allowed one by one, terabytes together.
      [
        data, folder.file("s.wav"), folder.file("t.csv"), "--words", "100", "--gap-min", "60",
        "--gap-max", "60", "--sample-rate", "384000",
      ],
      // The truth cannot be written: nothing is (a new stream beside the old truth once).
      [data, folder.file("s.wav"), folder.file("missing/t.csv")],
      [data, folder.file("s.wav"), ""],
    ] {
      let run = F.run(["bench", "stream"] + arguments)
      #expect(run.status == 64, "\(arguments): \(run.errors)")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: data + "/" + clip)) == before)
    #expect(try folder.names().isEmpty)
  }
}
