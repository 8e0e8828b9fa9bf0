import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechCommands

@Suite struct AudioPathsTests {
  /// A tree: a.wav, notes.txt, .hidden.wav, sub/c.flac, sub/deeper/d.WAV, b.ogg, empty/.
  func tree() throws -> TemporaryFolder {
    let folder = try TemporaryFolder()
    for name in ["a.wav", "notes.txt", ".hidden.wav", "sub/c.flac", "sub/deeper/d.WAV", "b.ogg"] {
      try folder.write(name, "")
    }
    try FileManager.default.createDirectory(
      atPath: folder.path + "/empty", withIntermediateDirectories: true)
    return folder
  }

  @Test func foldersAreWalkedRecursivelyInNameOrder() throws {
    let folder = try tree()
    let p = folder.path
    let items = Array(AudioPaths(arguments: [p + "/sub/deeper/d.WAV", p, "missing.wav"]))
    #expect(
      items == [
        .file(p + "/sub/deeper/d.WAV"), .file(p + "/a.wav"), .file(p + "/b.ogg"),
        .file(p + "/sub/c.flac"), .file(p + "/sub/deeper/d.WAV"), .file("missing.wav"),
      ])
  }

  @Test func aFolderWithoutAudioIsAProblem() throws {
    let folder = try tree()
    let empty = folder.path + "/empty"
    #expect(
      Array(AudioPaths(arguments: [empty]))
        == [.problem(path: empty, reason: "'\(empty)' holds no audio files")])
  }

  @Test func dashReadsPathsLazilyFromTheReader() throws {
    let folder = try tree()
    var lines = ["x.wav", "", folder.path + "/sub", "y.wav\r"][...]
    var reads = 0
    var paths = AudioPaths(arguments: ["first.wav", "-", "last.wav"]) {
      reads += 1
      return lines.popFirst()
    }
    #expect(paths.next() == .file("first.wav"))
    #expect(reads == 0)
    #expect(paths.next() == .file("x.wav"))
    #expect(reads == 1)
    let rest = Array(IteratorSequence(paths))
    #expect(
      rest == [
        .file(folder.path + "/sub/c.flac"), .file(folder.path + "/sub/deeper/d.WAV"),
        .file("y.wav"), .file("last.wav"),
      ])
  }

  /// `find -print0 | speechcmd classify -` gives one line of NUL-separated names: a problem
  /// naming it, not the first name's file reported under all of them.
  @Test func aLineWithNULBytesIsAProblem() {
    var lines = ["a.wav\0b.wav\0", "c.wav"][...]
    let items = Array(AudioPaths(arguments: ["-"]) { lines.popFirst() })
    #expect(items.count == 2)
    guard case .problem(let path, let reason) = items.first else {
      Issue.record("expected a problem, got \(items)")
      return
    }
    #expect(path == "a.wav\\0b.wav\\0")
    #expect(reason.contains("NUL byte") && reason.contains("-print0"), "\(reason)")
    #expect(items.last == .file("c.wav"))
  }

  /// A name on standard input that is not UTF-8 (a Latin-1 `é`) is a problem saying so, not a
  /// file "that does not exist" under a name with U+FFFD in it.
  @Test func aLineThatIsNotUTF8IsAProblem() {
    var lines: [AudioPaths.InputLine] = [.notUTF8(shown: "caf\u{FFFD}.wav"), .text("b.wav")]
    let items = Array(
      AudioPaths(arguments: ["-"], lines: { lines.isEmpty ? nil : lines.removeFirst() }))
    #expect(
      items == [
        .problem(
          path: "caf\u{FFFD}.wav",
          reason: "'caf\u{FFFD}.wav' is not valid UTF-8: speechcmd reads file names in UTF-8 "
            + "only (rename the file, e.g. with convmv)"),
        .file("b.wav"),
      ])
  }

  @Test func symbolicLinkLoopsAreWalkedOnce() throws {
    let folder = try tree()
    try FileManager.default.createSymbolicLink(
      atPath: folder.path + "/sub/loop", withDestinationPath: folder.path + "/sub")
    let items = Array(AudioPaths(arguments: [folder.path + "/sub"]))
    #expect(items.count == 2)
  }
}
