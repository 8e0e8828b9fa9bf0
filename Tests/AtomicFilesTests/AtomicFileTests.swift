import Foundation
import SpeechTestSupport
import Testing

@testable import AtomicFiles

/// Replacement is all or nothing: the target holds the old bytes or the new ones, and no
/// temporary file survives a success or a failure.
@Suite struct AtomicFileTests {
  /// Why a test closure gave up, standing in for a libsndfile failure.
  static let closureFailure = "the encoder gave up"

  /// Opens the existing `temporary` by name and writes `text` into it, as libsndfile does.
  static func writeInPlace(
    _ text: String, to temporary: String, for path: String
  ) throws(AtomicFileError) {
    guard let handle = FileHandle(forWritingAtPath: temporary) else {
      throw AtomicFileError(path: path, reason: "the temporary file does not exist")
    }
    handle.write(Data(text.utf8))
    try? handle.close()
  }

  static func contents(_ path: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
  }

  @Test func writeReplacesContentsAndLeavesOnlyTheTarget() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("report.json")
    try AtomicFile.write(Data("old, and longer than the new contents".utf8), to: path)
    try AtomicFile.write(Data("new".utf8), to: path)
    #expect(try Self.contents(path) == "new")
    try AtomicFile.write(Data(), to: path)
    #expect(try Self.contents(path) == "")
    #expect(try folder.names() == ["report.json"])
  }

  /// Renaming over a pipe, a device or a folder would replace it (as root, `--out /dev/full`
  /// replaced the device): such targets are refused and left as they were.
  @Test func targetsThatAreNotRegularFilesAreRefused() throws {
    let folder = try TemporaryFolder()
    let pipe = folder.file("pipe")
    #expect(mkfifo(pipe, 0o600) == 0)
    #expect(throws: AtomicFileError(path: pipe, reason: "it exists and is not a regular file")) {
      try AtomicFile.write(Data("x".utf8), to: pipe)
    }
    var info = stat()
    #expect(stat(pipe, &info) == 0 && (info.st_mode & UInt32(S_IFMT)) == UInt32(S_IFIFO))
    #expect(throws: AtomicFileError.self) { try AtomicFile.checkReplaceable(folder.path) }
    try AtomicFile.checkReplaceable(folder.file("missing"))
    #expect(try folder.names() == ["pipe"])
  }

  @Test func commitRenamesWhatTheClosureWroteInPlace() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("sound.wav")
    try AtomicFile.write(Data("old".utf8), to: path)
    var seen: String?
    try AtomicFile.commit(to: path) { (temporary) throws(AtomicFileError) in
      seen = temporary
      try Self.writeInPlace("written by the closure", to: temporary, for: path)
    }
    #expect(try Self.contents(path) == "written by the closure")
    let temporary = try #require(seen)
    #expect((temporary as NSString).deletingLastPathComponent == folder.url.path)
    #expect(!FileManager.default.fileExists(atPath: temporary))
    #expect(try folder.names() == ["sound.wav"])
  }

  @Test func failingClosureLeavesTheOldFileAndNoTemporary() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("sound.wav")
    try AtomicFile.write(Data("old".utf8), to: path)
    let expected = AtomicFileError(path: path, reason: Self.closureFailure)
    #expect(throws: expected) {
      try AtomicFile.commit(to: path) { (temporary) throws(AtomicFileError) in
        try Self.writeInPlace("half a file", to: temporary, for: path)
        throw AtomicFileError(path: path, reason: Self.closureFailure)
      }
    }
    #expect(try Self.contents(path) == "old")
    #expect(try folder.names() == ["sound.wav"])
  }

  @Test(arguments: [false, true])
  func missingFolderFailsNamingTheTarget(throughClosure: Bool) throws {
    let folder = try TemporaryFolder()
    let path = folder.file("no/such/folder/model.safetensors")
    do throws(AtomicFileError) {
      if throughClosure {
        try AtomicFile.commit(to: path) { _ in Issue.record("the closure ran") }
      } else {
        try AtomicFile.write(Data("bytes".utf8), to: path)
      }
      Issue.record("wrote into a missing folder")
    } catch {
      #expect(error.path == path)
      #expect(error.reason.hasPrefix("cannot create a temporary file in '"))
      #expect(error.reason.contains("No such file"))
      #expect(error.description == "cannot write '\(path)': \(error.reason)")
      #expect(!error.description.contains("\n"))
    }
    #expect(try folder.names() == [])
  }

  @Test func failedRenameRemovesTheTemporaryFile() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("taken")
    do throws(AtomicFileError) {
      // A non-empty folder appears at the target while the new file is written (after the
      // up-front check), so the rename itself fails.
      try AtomicFile.commit(to: path) { (temporary) throws(AtomicFileError) in
        try Self.writeInPlace("new", to: temporary, for: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try AtomicFile.write(Data("kept".utf8), to: folder.file("taken/inside"))
      }
      Issue.record("renamed a file over a non-empty folder")
    } catch {
      #expect(error.path == path)
      #expect(error.reason.hasPrefix("rename failed: "))
    }
    #expect(try folder.names() == ["taken"])
    #expect(try Self.contents(folder.file("taken/inside")) == "kept")
  }

  @Test(arguments: [
    ("model.bin", ".", "./.model.bin."),
    ("/model.bin", "/", "/.model.bin."),
    ("runs/a/model.bin", "runs/a", "runs/a/.model.bin."),
  ])
  func temporaryFileSitsBesideTheTarget(path: String, folder: String, prefix: String) {
    let first = AtomicFile.temporaryPath(for: path)
    #expect(first.folder == folder)
    #expect(first.temporary.hasPrefix(prefix + "\(getpid())."))
    #expect(first.temporary.hasSuffix(".tmp"))
    #expect(first.temporary != AtomicFile.temporaryPath(for: path).temporary)
  }
}
