import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

@testable import speechcmd

/// `speechcmd info`, run in-process: one line per readable file, one stderr line per bad one.
@Suite struct InfoCommandTests {
  /// Collects printed text.
  struct Capture: TextOutputStream {
    var text = ""
    mutating func write(_ string: String) { text += string }
  }

  /// A temporary directory with a stereo 44.1 kHz WAV (0.5 s), a mono 8 kHz FLAC (0.25 s) and a
  /// text file, removed on deinit.
  final class Fixtures {
    let directory: URL
    var wav: String { directory.appendingPathComponent("stereo.wav").path }
    var flac: String { directory.appendingPathComponent("mono.flac").path }
    var text: String { directory.appendingPathComponent("notes.txt").path }

    init() throws {
      directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("InfoCommandTests-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try AudioFile.write(
        [Float](repeating: 0.1, count: 44100), sampleRate: 44100, to: wav, channels: 2)
      try AudioFile.write(
        [Float](repeating: -0.2, count: 2000), sampleRate: 8000, to: flac, format: .flac16)
      try "not audio".write(toFile: text, atomically: false, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
  }

  func run(_ arguments: [String]) throws -> (out: String, err: String, failures: Int) {
    let command = try #require(try SpeechCmd.parseAsRoot(["info"] + arguments) as? SpeechCmd.Info)
    var out = Capture()
    var err = Capture()
    let failures = command.report(to: &out, errors: &err)
    return (out.text, err.text, failures)
  }

  @Test func printsOneLinePerFile() throws {
    let fixtures = try Fixtures()
    let (out, err, failures) = try run([fixtures.wav, fixtures.flac])
    #expect(failures == 0)
    #expect(err.isEmpty)
    #expect(
      out == """
        \(fixtures.wav): WAV PCM_16, 2 channels, 44100 Hz, 22050 frames, 0.500 s
        \(fixtures.flac): FLAC PCM_16, 1 channel, 8000 Hz, 2000 frames, 0.250 s

        """)
  }

  @Test func badFilesGoToStandardErrorAndOthersStillPrint() throws {
    let fixtures = try Fixtures()
    let missing = fixtures.directory.appendingPathComponent("gone.wav").path
    let (out, err, failures) = try run([fixtures.text, fixtures.wav, missing])
    #expect(failures == 2)
    #expect(out.split(separator: "\n").count == 1)
    #expect(out.hasPrefix(fixtures.wav + ": WAV PCM_16"))
    let errorLines = err.split(separator: "\n")
    try #require(errorLines.count == 2)
    #expect(errorLines.allSatisfy { $0.hasPrefix("speechcmd: ") })
    #expect(errorLines[0].contains(fixtures.text))
    #expect(errorLines[0].contains("not an audio file"))
    #expect(errorLines[1].contains(missing))
    #expect(errorLines[1].contains("does not exist"))
  }

  @Test func failureExitsWithStatusOne() throws {
    let fixtures = try Fixtures()
    var command = try SpeechCmd.parseAsRoot(["info", fixtures.text])
    do {
      try command.run()
      Issue.record("info succeeded on a text file")
    } catch {
      #expect(SpeechCmd.exitCode(for: error).rawValue == 1)
    }
  }

  @Test func requiresAtLeastOneFile() {
    #expect(throws: (any Error).self) { try SpeechCmd.parseAsRoot(["info"]) }
  }

  @Test func durationHasThreeDecimals() {
    let info = AudioFileInfo(
      path: "x.ogg", format: "OGG", subtype: "VORBIS", channels: 1, sampleRate: 16000,
      frames: 16000 * 65 + 7)
    #expect(
      SpeechCmd.Info.line(for: info)
        == "x.ogg: OGG VORBIS, 1 channel, 16000 Hz, 1040007 frames, 65.000 s")
  }
}

/// `speechcmd info MODEL.safetensors`: the model card as text and JSON.
@Suite struct InfoModelCardTests {
  func run(_ arguments: [String]) throws -> (out: String, err: String, failures: Int) {
    let command = try #require(try SpeechCmd.parseAsRoot(["info"] + arguments) as? SpeechCmd.Info)
    var out = InfoCommandTests.Capture()
    var err = InfoCommandTests.Capture()
    let failures = command.report(to: &out, errors: &err)
    return (out.text, err.text, failures)
  }

  @Test func printsTheCardOfAModel() throws {
    let (out, err, failures) = try run([RecognitionFixture.model])
    #expect(failures == 0 && err.isEmpty)
    let lines = out.split(separator: "\n").map(String.init)
    #expect(lines.first?.hasPrefix("model: \(RecognitionFixture.model) (") == true)
    #expect(lines.contains("labels (5): low high sweep _silence_ _unknown_"))
    #expect(lines.contains { $0.hasPrefix("network: MLP 650 → 64 → 5, relu") })
    #expect(lines.contains { $0.hasPrefix("loss: ce (softmax cross-entropy)") })
    #expect(lines.contains("operating point: none stored (listen uses its defaults)"))
  }

  /// The shipped model has convolutions: the card names them, in text and in JSON.
  @Test func theCardNamesConvolutions() throws {
    let shipped = ShippedModelTests.root + "/samples/model.safetensors"
    let (out, err, failures) = try run([shipped])
    #expect(failures == 0 && err.isEmpty)
    #expect(
      out.split(separator: "\n").contains {
        // 49 frames less the spans' 4 + 4 + 8 leave 33 frames of 64 channels: 2,112 values.
        $0.hasPrefix(
          "network: convolutions 64x5,64x3d2,64x3d4 over the frames (980 → 2112), "
            + "then MLP 2112 → 128 → 12")
      }, "\(out)")
    let (json, _, _) = try run(["--format", "json", shipped])
    let card = try #require(
      try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let network = try #require(card["network"] as? [String: Any])
    #expect(network["convolution"] as? String == "64x5,64x3d2,64x3d4")
    #expect(network["convolutionOutput"] as? Int == 2112)
  }

  /// Text from an edited file cannot forge a line or drive the terminal, and figures no
  /// training writes (an accuracy of 5, a fit right on 1e300 of the words) are left out.
  @Test func untrustedTextAndFiguresAreTamed() throws {
    let folder = try TemporaryFolder()
    var model = try ModelFile.load(at: RecognitionFixture.model)
    model.metadata.training["stop"] = "completed\nFAKE LINE\u{1b}[31m"
    model.metadata.training["accuracy"] = "5"
    model.metadata.operatingPoint = try OperatingPoint(
      threshold: 0.8,
      fit: OperatingPointFit(
        words: 10, nonCommandWords: 5, right: 1e300, wrong: 0, spurious: 0,
        falseAcceptsPerWord: 0)
    ).jsonString()
    let path = folder.file("edited.safetensors")
    try model.save(to: path)
    let (out, err, failures) = try run([path])
    #expect(failures == 0 && err.isEmpty)
    let lines = out.split(separator: "\n").map(String.init)
    #expect(!lines.contains { $0.hasPrefix("FAKE LINE") } && !out.contains("\u{1b}"))
    #expect(lines.contains { $0.contains("completed\\u{a}FAKE LINE\\u{1b}[31m") }, "\(out)")
    #expect(lines.contains("accuracy: not recorded") || !out.contains("500.0%"))
    #expect(
      lines.contains {
        $0.hasPrefix("operating point: threshold 0.8, average 500 ms")
          && !$0.contains("validation streams")
      }, "\(out)")
  }

  @Test func jsonIsOneObjectPerModel() throws {
    let (out, _, failures) = try run(["--format", "json", RecognitionFixture.model])
    #expect(failures == 0)
    let lines = out.split(separator: "\n")
    #expect(lines.count == 1)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(object["labels"] as? [String] == ["low", "high", "sweep", "_silence_", "_unknown_"])
    let network = try #require(object["network"] as? [String: Any])
    #expect(network["hidden"] as? [Int] == [64])
  }

  /// A model saved under another name (`train --out m.bin`) is still shown as a model: `info`
  /// knows it by its first bytes, not only by `.safetensors`; a WAV stays an audio file.
  @Test func aModelUnderAnotherNameIsStillAModel() throws {
    let folder = try TemporaryFolder()
    let renamed = folder.file("m.bin")
    try FileManager.default.copyItem(atPath: RecognitionFixture.model, toPath: renamed)
    let (out, err, failures) = try run([renamed])
    #expect(failures == 0 && err.isEmpty, "\(err)")
    #expect(out.hasPrefix("model: \(renamed) ("), "\(out)")
    #expect(!SpeechCmd.Info.isModel(RecognitionFixture.clips[0]))
    // A named pipe is not opened to look (that would wait for a writer).
    let pipe = folder.file("p.wav")
    #expect(mkfifo(pipe, 0o600) == 0)
    #expect(!SpeechCmd.Info.isModel(pipe))
  }

  @Test func aDamagedModelIsOneErrorLineNamingIt() throws {
    let folder = try TemporaryFolder()
    let bad = folder.file("bad.safetensors")
    try "not a model".write(toFile: bad, atomically: false, encoding: .utf8)
    let (out, err, failures) = try run([bad, RecognitionFixture.model])
    #expect(failures == 1)
    #expect(err.split(separator: "\n").count == 1 && err.contains(bad))
    #expect(out.hasPrefix("model: \(RecognitionFixture.model)"))
  }
}
