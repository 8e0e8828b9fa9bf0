import FlyingFox
import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechServer

/// `GET /api/model`, `GET /api/model/file` and `POST /api/classify` against the library's own
/// answers for the same model and files.
@Suite struct ClassifyAPITests {
  @Test func classifyAgreesWithTheClassifyCommandsLibrary() async throws {
    let (router, _) = try ServerFixture.router()
    var batchOptions = ClassifyOptions()
    batchOptions.topK = 3
    batchOptions.threads = 1
    let batch = try BatchClassifier(classifier: ServerFixture.classifier, options: batchOptions)
    let folder = try TemporaryFolder()
    for (i, label) in SyntheticWords.words.enumerated() {
      // 16 kHz files: the server resamples them to the model's 8 kHz, as classify does.
      let bytes = try ServerFixture.wav(label, seed: UInt64(100 + i))
      let path = folder.file("\(label).wav")
      try bytes.write(to: URL(fileURLWithPath: path))
      guard case .classified(_, let windows, _) = batch.classify(batch: [.file(path)])[0] else {
        Issue.record("classify failed on \(path)")
        continue
      }
      let reply = try await router.send(.POST, "/api/classify?top_k=3", body: bytes)
      #expect(reply.status == 200)
      let answer = try JSONDecoder().decode(ClassifyEndpoint.Answer.self, from: reply.body)
      #expect(answer.label == windows[0].label)
      #expect(answer.label == label)
      #expect(answer.score == windows[0].score)
      #expect(answer.top.map(\.label) == windows[0].top.map(\.label))
      #expect(answer.top.count == 3)
    }
  }

  @Test func modelCardDescribesTheServedModel() async throws {
    let (router, _) = try ServerFixture.router()
    let card = try await router.send(.GET, "/api/model").json
    #expect(card["labels"] as? [String] == SyntheticWords.labels)
    #expect(card["sampleRate"] as? Int == 8000)
    #expect(card["clipSeconds"] as? Double == 1)
    // No operating point stored: listen's defaults.
    let listen = card["listen"] as? [String: Any]
    #expect((listen?["threshold"] as? Double).map { abs($0 - 0.7) < 1e-6 } == true)
    #expect(listen?["fromModel"] as? Bool == false)
    #expect((card["network"] as? [String: Any])?["hidden"] as? [Int] == [64])
    #expect(card["file"] as? String == "model.safetensors")
    #expect(card["path"] == nil)
    // The training data is named, but not by the server's folders.
    let sources = try #require((card["data"] as? [String: Any])?["sources"] as? [String])
    #expect(!sources.isEmpty && sources.allSatisfy { !$0.contains("/") }, "\(sources)")
    let file = try await router.send(.GET, "/api/model/file")
    #expect(file.status == 200)
    #expect(file.body == (try Data(contentsOf: URL(fileURLWithPath: ServerFixture.modelPath))))
  }

  @Test func damagedAudioIs400AndTheServerKeepsServing() async throws {
    let (router, _) = try ServerFixture.router()
    let good = try ServerFixture.wav("low", seed: 7)
    for damaged in [Data("not audio at all".utf8), good.prefix(30), Data(good.prefix(44))] {
      let reply = try await router.send(.POST, "/api/classify", body: damaged)
      #expect(reply.status == 400)
      #expect(!reply.error.isEmpty)
      #expect(!reply.error.contains("speechcmd-upload"), "leaks the temporary name: \(reply.error)")
    }
    #expect(try await router.send(.POST, "/api/classify", body: good).status == 200)
  }

  /// An upload cut short is classified on what it holds, with a warning naming "the upload".
  /// (Half the bytes: 44 header bytes + 15,978 of the 32,000 data bytes, 7,989 frames.)
  @Test func aCutUploadIsClassifiedWithAWarning() async throws {
    let (router, _) = try ServerFixture.router()
    let good = try ServerFixture.wav("low", seed: 7)
    let whole = try await router.send(.POST, "/api/classify", body: good)
    #expect(whole.status == 200)
    #expect(whole.json["warning"] == nil)
    let cut = try await router.send(.POST, "/api/classify", body: good.prefix(good.count / 2))
    #expect(cut.status == 200)
    let warning = cut.json["warning"] as? String ?? ""
    #expect(
      warning.hasPrefix("the upload is cut short: it holds 0.499 s of the 1.000 s"), "\(warning)")
  }

  @Test func uploadsOverTheLimitAre413() async throws {
    let (router, _) = try ServerFixture.router(maxUploadBytes: 1000)
    let reply = try await router.send(
      .POST, "/api/classify", body: try ServerFixture.wav("low", seed: 1))
    #expect(reply.status == 413)
    #expect(reply.error.contains("1000 bytes"))
  }

  /// A small compressed file can hold hours of audio (silence compresses to nothing): uploads
  /// longer than `UploadFile.maxSeconds` are refused before decoding, for classification and
  /// for recordings alike, and no take is stored.
  @Test func audioLongerThanAMinuteIs413() async throws {
    let (router, data) = try ServerFixture.router()
    let folder = try TemporaryFolder()
    let path = folder.file("long.flac")
    try AudioFile.write(
      [Float](repeating: 0, count: 8000 * 61), sampleRate: 8000, to: path, format: .flac16)
    let long = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(long.count < 200_000)
    let reply = try await router.send(.POST, "/api/classify", body: long)
    #expect(reply.status == 413)
    #expect(reply.error == "the upload holds 61 s of audio; at most 60 s")
    let take = try await router.send(
      .POST, "/api/recordings?label=lights&speaker=me", body: long)
    #expect(take.status == 413)
    #expect(!FileManager.default.fileExists(atPath: data.path + "/lights"))
  }

  /// Seconds alone are not the work: 10 s of 8 channels at 192 kHz is 15 million samples to
  /// decode (59 s of it took 12–19 s of CPU), refused before decoding.
  @Test func audioWithTooManySamplesIs413() async throws {
    let (router, _) = try ServerFixture.router()
    let folder = try TemporaryFolder()
    let path = folder.file("wide.flac")
    try AudioFile.write(
      [Float](repeating: 0, count: 192_000 * 10 * 8), sampleRate: 192_000, to: path,
      format: .flac16, channels: 8)
    let reply = try await router.send(
      .POST, "/api/classify", body: try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(reply.status == 413)
    #expect(
      reply.error
        == "the upload holds 8 channels at 192000 Hz, 15360000 samples; at most 5760000 (60 s of 48 kHz stereo)"
    )
  }

  @Test(arguments: ["0", "-1", "x", "100000"])
  func badTopKIs400(_ value: String) async throws {
    let (router, _) = try ServerFixture.router()
    let reply = try await router.send(
      .POST, "/api/classify?top_k=\(value)", body: try ServerFixture.wav("low", seed: 1))
    #expect(reply.status == 400)
    #expect(reply.error.contains("top_k"))
  }

  @Test func damagedModelIsRefusedAtStartAndWhenSwitching() throws {
    let folder = try TemporaryFolder()
    let bad = folder.file("bad.safetensors")
    try Data("definitely not safetensors".utf8).write(to: URL(fileURLWithPath: bad))
    #expect(throws: ServerError.self) { try ServerFixture.router(modelPath: bad) }
    let store = try ModelStore(path: ServerFixture.modelPath)
    #expect(throws: ModelLoadError.self) { try store.switchTo(path: bad) }
    #expect(store.current.path == ServerFixture.modelPath)
  }
}

/// A model carrying an operating point is served with it: the card's `listen` settings (the
/// page's slider default) and `/api/listen`'s defaults are the model's, as for `listen`.
@Suite struct OperatingPointTests {
  @Test func theCardAndTheStreamUseTheModelsOperatingPoint() async throws {
    let folder = try TemporaryFolder()
    var model = try ModelFile.load(at: ServerFixture.modelPath)
    let point = OperatingPoint(threshold: 0.55, averageWindowMs: 400, suppressionMs: 1000)
    model.metadata.operatingPoint = try point.jsonString()
    try model.save(to: folder.file("tuned.safetensors"))
    let (router, _) = try ServerFixture.router(modelPath: folder.file("tuned.safetensors"))
    let listen = try await router.send(.GET, "/api/model").json["listen"] as? [String: Any]
    #expect((listen?["threshold"] as? Double).map { abs($0 - 0.55) < 1e-6 } == true)
    #expect(listen?["averageWindowMs"] as? Int == 400)
    #expect(listen?["fromModel"] as? Bool == true)
    let classifier = try Classifier(modelAt: folder.file("tuned.safetensors"))
    #expect(ServedModelCard.listenOptions(for: classifier).recognizer == point.applied(to: .init()))
  }
}
