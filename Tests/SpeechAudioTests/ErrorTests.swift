import Foundation
import SpeechAudio
import SpeechTestSupport
import Testing

/// Each kind of bad input yields its own error, naming the file, from both `info` and `read`.
@Suite struct ErrorTests {
  /// Runs `read` and `info` on `path` and returns the errors, requiring both to throw.
  func errors(_ path: String) throws -> (read: AudioError, info: AudioError?) {
    var readError: AudioError?
    do { _ = try AudioFile.read(at: path) } catch { readError = error }
    var infoError: AudioError?
    do { _ = try AudioFile.info(at: path) } catch { infoError = error }
    let error = try #require(readError)
    #expect(error.path == path)
    #expect(error.description.contains(path))
    return (error, infoError)
  }

  /// A valid 16-bit WAV of 0.1 s of tone, as bytes.
  func wavBytes(in directory: TemporaryFolder) throws -> Data {
    let path = directory.file("source.wav")
    try AudioFile.write(
      Signal.sine(frequency: 500, rate: 16000, count: 1600), sampleRate: 16000, to: path)
    return try Data(contentsOf: URL(fileURLWithPath: path))
  }

  @Test func missingFile() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("nope.wav")
    let (read, info) = try errors(path)
    guard case .missing(_, let reason) = read else { Issue.record("got \(read)"); return }
    #expect(reason.contains("No such file"))
    #expect(info == read)
  }

  @Test func directory() throws {
    let directory = try TemporaryFolder()
    let (read, info) = try errors(directory.url.path)
    #expect(read == .directory(path: directory.url.path))
    #expect(info == read)
  }

  @Test func emptyFile() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("empty.wav")
    try Data().write(to: URL(fileURLWithPath: path))
    let (read, info) = try errors(path)
    #expect(read == .empty(path: path))
    #expect(info == read)
  }

  @Test func textFileIsNotAudio() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("notes.wav")
    try "hello, this is not a sound\n".write(toFile: path, atomically: false, encoding: .utf8)
    let (read, info) = try errors(path)
    guard case .notAudio(_, let reason) = read else { Issue.record("got \(read)"); return }
    #expect(reason == "Format not recognised.")
    #expect(info == read)
  }

  @Test(arguments: [12, 20, 40])
  func truncatedHeader(keptBytes: Int) throws {
    let directory = try TemporaryFolder()
    let path = directory.file("cut.wav")
    try wavBytes(in: directory).prefix(keptBytes).write(to: URL(fileURLWithPath: path))
    let (read, info) = try errors(path)
    guard case .truncatedHeader(_, let reason) = read else { Issue.record("got \(read)"); return }
    #expect(!reason.isEmpty)
    #expect(info == read)
  }

  @Test func headerWithoutData() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("hollow.wav")
    try wavBytes(in: directory).prefix(44).write(to: URL(fileURLWithPath: path))
    let (read, info) = try errors(path)
    #expect(read == .zeroFrames(path: path))
    #expect(info == nil)
  }

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func nonFiniteSampleInFloatFile(bad: Float) throws {
    let directory = try TemporaryFolder()
    let path = directory.file("bad.wav")
    var samples = Signal.sine(frequency: 500, rate: 16000, count: 9000)
    samples[5000] = bad
    try AudioFile.write(samples, sampleRate: 16000, to: path, format: .wavFloat)
    let (read, info) = try errors(path)
    #expect(read == .nonFiniteSample(path: path, frame: 5000))
    #expect(info == nil)
    #expect(throws: AudioError.nonFiniteSample(path: path, frame: 5000)) {
      try AudioFile.forEachBlock(at: path) { _ in }
    }
  }

  @Test func invalidArguments() throws {
    let directory = try TemporaryFolder()
    let path = directory.file("ok.wav")
    try AudioFile.write([0, 0.1, 0.2], sampleRate: 16000, to: path)
    #expect(throws: AudioError.self) { try AudioFile.read(at: path, sampleRate: 0) }
    #expect(throws: AudioError.self) {
      try AudioFile.forEachBlock(at: path, blockFrames: 0) { _ in }
    }
    #expect(throws: AudioError.self) { try AudioFile.read(at: path, sampleRate: 16000 * 300) }
  }

  /// A pipe named like audio (in a data folder, say) is refused at once instead of waiting for a
  /// writer for ever; a rate the resampler cannot convert names the file.
  @Test func pipesAndImpossibleRatesNameTheFile() throws {
    let directory = try TemporaryFolder()
    let pipe = directory.file("pipe.wav")
    #expect(mkfifo(pipe, 0o600) == 0)
    #expect(throws: AudioError.unreadable(path: pipe, reason: "not a regular file (a pipe or a device)")) {
      try AudioFile.read(at: pipe)
    }
    let slow = directory.file("ten-hertz.wav")
    try AudioFile.write([0, 0.1, 0.2, 0.1], sampleRate: 10, to: slow)
    #expect {
      try AudioFile.read(at: slow, sampleRate: 16000)
    } throws: { error in
      guard case .unreadable(let path, let reason) = error as? AudioError else { return false }
      return path == slow && reason.hasPrefix("cannot resample from 10 Hz to 16000 Hz")
    }
  }

  @Test func descriptionsAreOneLineWithoutPrefix() {
    let errors: [AudioError] = [
      .missing(path: "a.wav", reason: "System error : No such file or directory."),
      .directory(path: "a.wav"), .empty(path: "a.wav"),
      .notAudio(path: "a.wav", reason: "Format not recognised."),
      .truncatedHeader(path: "a.wav", reason: "Malformed 'fmt ' chunk."),
      .zeroFrames(path: "a.wav"), .nonFiniteSample(path: "a.wav", frame: 3),
      .unreadable(path: "a.wav", reason: "x"), .unwritable(path: "a.wav", reason: "x"),
    ]
    for error in errors {
      #expect(error.description.contains("'a.wav'"))
      #expect(!error.description.contains("\n"))
      #expect(!error.description.lowercased().hasPrefix("error"))
    }
  }
}
