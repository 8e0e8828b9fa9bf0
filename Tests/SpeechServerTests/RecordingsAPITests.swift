import FlyingFox
import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

@testable import SpeechServer

/// Recording, listing, playing back and deleting takes; then retraining on them.
@Suite struct RecordingsAPITests {
  @Test func recordingsAreStoredInTheSpeechCommandsLayoutAtTheModelsRate() async throws {
    let (router, data) = try ServerFixture.router()
    var paths: [String] = []
    for seed in 0..<3 {
      // 44.1 kHz uploads, as a browser may send them.
      let reply = try await router.send(
        .POST, "/api/recordings?label=chirp&speaker=me",
        body: try ServerFixture.wav("sweep", seed: UInt64(seed), sampleRate: 44100))
      #expect(reply.status == 201)
      paths.append(reply.json["path"] as? String ?? "")
    }
    #expect(paths == ["chirp/me_nohash_0.wav", "chirp/me_nohash_1.wav", "chirp/me_nohash_2.wav"])
    let info = try AudioFile.info(at: data.path + "/chirp/me_nohash_1.wav")
    #expect(info.sampleRate == 8000)
    #expect(info.channels == 1)
    let listed = try await router.send(.GET, "/api/recordings").json["words"] as? [String: Any]
    let chirp = listed?["chirp"] as? [String: Any]
    #expect(chirp?["count"] as? Int == 3)

    let played = try await router.send(.GET, "/api/recordings/chirp/me_nohash_1.wav")
    #expect(played.status == 200)
    #expect(
      played.body
        == (try Data(contentsOf: URL(fileURLWithPath: data.path + "/chirp/me_nohash_1.wav"))))
    #expect(try await router.send(.DELETE, "/api/recordings/chirp/me_nohash_1.wav").status == 200)
    #expect(!FileManager.default.fileExists(atPath: data.path + "/chirp/me_nohash_1.wav"))
    #expect(try await router.send(.DELETE, "/api/recordings/chirp/me_nohash_1.wav").status == 404)
    // The freed number is used again.
    let again = try await router.send(
      .POST, "/api/recordings?label=chirp&speaker=me", body: try ServerFixture.wav("sweep", seed: 9)
    )
    #expect(again.json["path"] as? String == "chirp/me_nohash_1.wav")
    let damaged = try await router.send(
      .POST, "/api/recordings?label=chirp&speaker=me", body: Data("noise".utf8))
    #expect(damaged.status == 400)
    #expect(try await router.send(.POST, "/api/recordings?label=chirp&speaker=me").status == 400)
    // A word's last take deleted takes its folder along: an empty label folder, hidden from the
    // listing, made every later retraining fail.
    let lone = try await router.send(
      .POST, "/api/recordings?label=beta&speaker=a", body: try ServerFixture.wav("sweep", seed: 3))
    #expect(lone.status == 201)
    #expect(try await router.send(.DELETE, "/api/recordings/beta/a_nohash_0.wav").status == 200)
    #expect(!FileManager.default.fileExists(atPath: data.path + "/beta"))
    #expect(FileManager.default.fileExists(atPath: data.path + "/chirp"))
  }

  /// A take that cannot hold a word is refused with the reason and not stored: 0.1 s of a word,
  /// and a second of a muted microphone's near-silence (−75 dBFS).
  @Test func takesTooShortOrWithoutSoundAreRefused() async throws {
    let (router, data) = try ServerFixture.router()
    let folder = try TemporaryFolder()
    var rng = SeededGenerator(seed: 1)
    let sweep = SyntheticWords.clip("sweep", sampleRate: 8000, using: &rng)
    try AudioFile.write(Array(sweep.prefix(800)), sampleRate: 8000, to: folder.file("short.wav"))
    let muted = (0..<8000).map { Float(0.00025 * sin(Double($0) / 3)) }
    try AudioFile.write(muted, sampleRate: 8000, to: folder.file("muted.wav"))
    let cases: [(Data, String)] = [
      (
        try Data(contentsOf: URL(fileURLWithPath: folder.file("short.wav"))),
        "the take holds 0.10 s: record about a second of the word (at least 0.25 s)"
      ),
      (
        try Data(contentsOf: URL(fileURLWithPath: folder.file("muted.wav"))),
        "the take holds no sound above -60 dBFS: is the microphone muted, or too far away?"
      ),
    ]
    for (body, message) in cases {
      let reply = try await router.send(.POST, "/api/recordings?label=chirp&speaker=me", body: body)
      #expect(reply.status == 400)
      #expect(reply.json["error"] as? String == message)
    }
    #expect(!FileManager.default.fileExists(atPath: data.path + "/chirp"))
  }

  @Test func trainingWithoutRecordingsIs400() async throws {
    let (router, _) = try ServerFixture.router()
    let reply = try await router.send(.POST, "/api/train")
    #expect(reply.status == 400)
    #expect(try await router.send(.GET, "/api/train").json["state"] as? String == "idle")
  }

  /// A new word with fewer than five takes is refused before any training (one take made a
  /// model the server switched to); takes of a word the model knows are enough from the first.
  @Test func aNewWordNeedsFiveTakesBeforeRetraining() async throws {
    let (router, _) = try ServerFixture.router()
    for take in 0..<4 {
      let reply = try await router.send(
        .POST, "/api/recordings?label=chirp&speaker=s\(take)",
        body: try ServerFixture.wav("sweep", seed: UInt64(take)))
      #expect(reply.status == 201)
    }
    let refused = try await router.send(.POST, "/api/train")
    #expect(refused.status == 400)
    #expect(
      refused.json["error"] as? String
        == "'chirp' is a new word with 4 takes: record at least 5 (about 15, by several people, "
        + "for unseen voices) before retraining")
    #expect(try await router.send(.GET, "/api/train").json["state"] as? String == "idle")
    // The rule itself: takes of words the model knows count from the first; new words from 5.
    let known = ["low", "high"]
    #expect(TrainingRunner.newWordShortOfTakes(["low": 1, "high": 1], known: known) == nil)
    #expect(TrainingRunner.newWordShortOfTakes(["low": 1, "chirp": 5], known: known) == nil)
    #expect(
      TrainingRunner.newWordShortOfTakes(["low": 9, "zed": 1, "chirp": 2], known: known)?
        .hasPrefix("'chirp' is a new word with 2 takes") == true)
  }

  /// Records a new word (a warbling tone the model calls `_unknown_`) and the old words from
  /// several speakers, retrains through the API, and checks that the server now serves a model
  /// that knows the new word and classifies a fresh take of it.
  @Test func recordThenTrainThenClassify() async throws {
    let (router, data) = try ServerFixture.router()
    let warble = "unknown-tone"  // SyntheticWords' _unknown_ sound, under a new name
    var rng = SeededGenerator(seed: 5)
    for speaker in 0..<10 {
      for label in SyntheticWords.words + [warble] {
        for _ in 0..<3 {
          let clip = SyntheticWords.clip(
            label == warble ? unknownLabel : label, sampleRate: 8000, using: &rng)
          let folder = try TemporaryFolder()
          try AudioFile.write(clip, sampleRate: 8000, to: folder.file("t.wav"))
          let reply = try await router.send(
            .POST, "/api/recordings?label=\(label)&speaker=s\(speaker)",
            body: try Data(contentsOf: URL(fileURLWithPath: folder.file("t.wav"))))
          #expect(reply.status == 201)
        }
      }
    }
    let before = try await router.send(
      .POST, "/api/classify", body: try ServerFixture.wav(unknownLabel, seed: 77))
    #expect(before.json["label"] as? String == unknownLabel)

    let started = try await router.send(.POST, "/api/train")
    #expect(started.status == 202)
    #expect(started.json["state"] as? String == "running")
    #expect(try await router.send(.POST, "/api/train").status == 409)
    var status: [String: Any] = [:]
    for _ in 0..<1200 {
      status = try await router.send(.GET, "/api/train").json
      if status["state"] as? String != "running" { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    #expect(status["state"] as? String == "done", "\(status)")
    #expect((status["validationAccuracy"] as? Double ?? 0) > 0.8, "\(status)")
    #expect((status["history"] as? [Any])?.isEmpty == false)
    // One curve: the second training on every take (its epochs count from 1 again) is not
    // appended to the first one's.
    let epochs = (status["history"] as? [[String: Any]] ?? []).compactMap { $0["epoch"] as? Int }
    #expect(!epochs.isEmpty && epochs == Array(1...epochs.count), "\(epochs)")
    #expect((status["report"] as? [String] ?? []).contains("curves.svg"))
    #expect(try await router.send(.GET, "/api/train/report/curves.svg").status == 200)
    #expect(FileManager.default.fileExists(atPath: data.path + "/" + RetrainJob.modelName))

    let card = try await router.send(.GET, "/api/model").json
    #expect((card["labels"] as? [String] ?? []).contains(warble))
    #expect(card["file"] as? String == RetrainJob.modelName)
    // Retrained from the served model, named without the server's folders.
    let from = (card["data"] as? [String: Any])?["from"] as? String
    #expect(
      from == PathName.lastComponent(of: ServerFixture.modelPath), "\(String(describing: from))")
    let after = try await router.send(
      .POST, "/api/classify", body: try ServerFixture.wav(unknownLabel, seed: 77))
    #expect(after.json["label"] as? String == warble)
    let old = try await router.send(
      .POST, "/api/classify", body: try ServerFixture.wav("high", seed: 78))
    #expect(old.json["label"] as? String == "high")
  }
}
