import Foundation
import Testing

@testable import SpeechCommands

@Suite struct PathNameTests {
  /// Paths NSString handles without trapping: PathName must agree with it on every one.
  static let asciiPaths = [
    "", "/", "/a", "a/b", "/a/b/", "a//b", "./a/../b.wav", "dir/.hidden", "dir/name.",
    "dir/x.tar.gz", "/abs/noise.WAV", "noext", ".wav",
  ]

  @Test(arguments: asciiPaths) func agreesWithFoundationOnPlainPaths(_ path: String) {
    let ns = path as NSString
    #expect(PathName.lastComponent(of: path) == ns.lastPathComponent)
    #expect(PathName.parent(of: path) == ns.deletingLastPathComponent)
    #expect(PathName.fileExtension(of: path) == ns.pathExtension)
  }

  /// The input that made Foundation trap (a doubled slash before a non-ASCII character).
  @Test func doubledSlashBeforeNonASCIINames() {
    #expect(PathName.lastComponent(of: "takes//café.wav") == "café.wav")
    #expect(PathName.parent(of: "takes//café.wav") == "takes")
    #expect(PathName.fileExtension(of: "takes//é.WAV") == "WAV")
    #expect(PathName.lastComponent(of: "//é") == "é")
  }

  /// Single names, trailing and repeated slashes, on which Foundation's
  /// `deletingLastPathComponent` traps (`"a"`, `"a/"`) or drops the root (`"//"` → `""`).
  @Test func singleNamesTrailingAndRepeatedSlashes() {
    #expect(PathName.parent(of: "list.csv") == "")
    #expect(PathName.lastComponent(of: "list.csv") == "list.csv")
    #expect(PathName.parent(of: "takes/") == "")
    #expect(PathName.parent(of: "a///b//") == "a")
    #expect(PathName.parent(of: "//") == "/")
    #expect(PathName.lastComponent(of: "a///b//") == "b")
    #expect(PathName.lastComponent(of: "//") == "/")
  }
}
