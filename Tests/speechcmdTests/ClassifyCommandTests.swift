import Foundation
import SpeechAudio
import SpeechCommands
import Testing

@testable import speechcmd

@Suite struct ClassifyCommandTests {
  typealias F = RecognitionFixture

  @Test func jsonLinesKeepTheInputOrderAndNameTheWords() throws {
    let order = [3, 0, 5, 1, 4, 2].map { F.clips[$0] }
    let result = F.run(
      ["classify", "--model", F.model, "--format", "jsonl", "--threads", "2"] + order)
    #expect(result.status == 0, "\(result.errors)")
    let objects = F.lines(result.output).map(F.json)
    #expect(objects.map { $0["file"] as? String } == order)
    let labels = objects.map { $0["label"] as? String ?? "" }
    #expect(labels == [3, 0, 5, 1, 4, 2].map { F.words[$0] })
    for object in objects {
      let top = object["top"] as? [[String: Any]] ?? []
      #expect(top.count == 1 && top[0]["label"] as? String == object["label"] as? String)
      #expect((object["score"] as? Double ?? 0) > 0.5)
    }
  }

  @Test func aFolderIsSearchedRecursivelyInNameOrder() throws {
    let expected = F.clips.sorted()  // writes the clips, which this test may be the first to need
    let result = F.run(["classify", "-m", F.model, "--format", "csv", F.folder + "/clips"])
    #expect(result.status == 0, "\(result.errors)")
    let lines = F.lines(result.output)
    #expect(lines.first == "file,label,score")
    #expect(lines.dropFirst().map { String($0.split(separator: ",")[0]) } == expected)
  }

  @Test func topKThresholdAndTable() throws {
    let top = F.run(["classify", "-m", F.model, "--format", "jsonl", "--top-k", "3", F.clips[0]])
    let object = F.json(F.lines(top.output)[0])
    let scores = (object["top"] as? [[String: Any]] ?? []).compactMap { $0["score"] as? Double }
    #expect(scores.count == 3 && scores == scores.sorted(by: >))

    let strict = F.run([
      "classify", "-m", F.uniformModel, "--format", "csv", "--threshold", "0.5", F.clips[1],
    ])
    #expect(F.lines(strict.output)[1] == F.clips[1] + ",_unknown_,0.2000")

    let table = F.run(["classify", "-m", F.model, "--format", "table", "--top-k", "2", F.clips[2]])
    let lines = F.lines(table.output)
    #expect(lines.count == 2 && lines[0].hasPrefix("LABEL") && lines[0].hasSuffix("FILE"))
    #expect(lines[1].hasPrefix("sweep ") && lines[1].hasSuffix(F.clips[2]))
  }

  @Test func allWindowsReportsEveryWindowWithItsStart() throws {
    let long = F.folder + "/long-\(UUID().uuidString).wav"
    var audio: [Float] = []
    for clip in F.clips.prefix(3) { audio += try AudioFile.read(at: clip, sampleRate: 16000) }
    try AudioFile.write(audio, sampleRate: 16000, to: long)
    let result = F.run(["classify", "-m", F.model, "--format", "jsonl", "--all-windows", long])
    let objects = F.lines(result.output).map(F.json)
    #expect(objects.compactMap { $0["start"] as? Double } == [0, 0.5, 1, 1.5, 2])
    #expect(objects.first?["label"] as? String == "low")
    #expect(objects.last?["label"] as? String == "sweep")
    let hop = F.run([
      "classify", "-m", F.model, "--format", "csv", "--all-windows", "--window-hop", "1", long,
    ])
    #expect(F.lines(hop.output).count == 1 + 3)
  }

  @Test func unreadableFilesAreNamedOnStderrAndTheRestStillClassified() throws {
    let broken = F.folder + "/broken-\(UUID().uuidString).wav"
    try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: broken))
    let result = F.run(
      [
        "classify", "-m", F.model, "--format", "csv", F.clips[0], broken, "/nonexistent/x.wav",
        F.clips[1],
      ])
    #expect(result.status == 1)
    #expect(F.lines(result.output).count == 3)
    let errors = F.lines(result.errors)
    #expect(errors.contains { $0.hasPrefix("speechcmd: ") && $0.contains(broken) })
    #expect(errors.contains { $0.contains("/nonexistent/x.wav") })
  }

  @Test(arguments: [
    ["classify"], ["classify", "--top-k", "0", "a.wav"], ["classify", "--threshold", "2", "a.wav"],
    ["classify", "--format", "xml", "a.wav"], ["classify", "--window-hop", "1", "a.wav"],
    ["classify", "--threads", "0", "a.wav"], ["classify", "--threads", "257", "a.wav"],
    ["classify", "--threads", "4611686018427387904", "a.wav"],
  ])
  func usageErrorsExit64(arguments: [String]) {
    #expect(F.run(arguments).status == 64)
  }

  @Test func benchClassifyReportsFilesPerSecondAndListenSpeed() throws {
    #expect(F.clips.count == 6)
    let result = F.run([
      "bench", "classify", "-m", F.model, "--runs", "1", "--listen-seconds", "2", "--format",
      "json",
      F.folder + "/clips",
    ])
    #expect(result.status == 0, "\(result.errors)")
    let object = F.json(F.lines(result.output).first ?? "")
    #expect(object["files"] as? Int == F.clips.count)
    let rates = object["filesPerSecond"] as? [String: Double] ?? [:]
    #expect(rates.keys.sorted() == ["1", "2"] && rates.values.allSatisfy { $0 > 0 })
    #expect((object["listenRealTimeFactor"] as? Double ?? 0) > 0)
    #expect(object["listenAudioSeconds"] as? Double == 2)  // the clips repeated, cut at 2 s
    let clip = object["clipMicroseconds"] as? Double ?? 0
    let network = object["clipNetworkMicroseconds"] as? Double ?? 0
    #expect(clip > 0 && network > 0 && network < clip, "features and network, then network alone")
  }

  @Test func benchClassifyNeedsAFolderOfAudio() {
    #expect(F.run(["bench", "classify", "-m", F.model, "/nonexistent"]).status == 1)
  }

  @Test func aMissingModelIsAnErrorNamingIt() {
    let result = F.run(["classify", "-m", "/nonexistent/model.safetensors", F.clips[0]])
    #expect(result.status == 1)
    #expect(result.errors.contains("/nonexistent/model.safetensors"))
  }
}

/// A file cut short is classified on what it holds, with a warning on stderr naming it.
@Suite struct CutShortCommandTests {
  typealias F = RecognitionFixture

  @Test func classifyWarnsAndInfoSays() throws {
    let cut = F.folder + "/cut-\(UUID().uuidString).wav"
    let bytes = try Data(contentsOf: URL(fileURLWithPath: F.clips[0]))
    try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: cut))
    let result = F.run(["classify", "-m", F.model, "--format", "csv", cut])
    #expect(result.status == 0, "\(result.errors)")
    #expect(F.lines(result.output).count == 2)
    #expect(result.errors.contains("speechcmd: warning: '\(cut)' is cut short: it holds "))
    let line = SpeechCmd.Info.line(for: try AudioFile.info(at: cut))
    #expect(line.hasSuffix(" s (cut short: its header announces 1.000 s)"), "\(line)")
    let listened = F.run(["listen", "-m", F.model, cut])
    #expect(listened.status == 0, "\(listened.errors)")
    #expect(listened.errors.contains("speechcmd: warning: '\(cut)' is cut short: it holds "))
  }
}
