import Foundation
import SpeechAudio
import SpeechCommands

/// The recordings made in the page, in the Speech Commands layout `DATA/WORD/SPEAKER_nohash_N.wav`
/// (16-bit mono WAV at the model's rate), ready for `train --from`.
///
/// Every name is checked by `RecordingNames`; writes are atomic (`AudioFile.write`), and a lock
/// makes concurrent uploads pick different take numbers. Thread-safe.
final class RecordingStore: @unchecked Sendable {
  /// The data folder (`--data`).
  let folder: String
  private let lock = NSLock()

  /// A store in `folder`, created if missing.
  init(folder: String) throws(APIError) {
    self.folder = folder
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw APIError(
        500, "cannot create the data folder '\(folder)': \(error.localizedDescription)")
    }
  }

  /// What `POST /api/recordings` answers.
  struct Saved: Codable, Equatable, Sendable {
    /// `WORD/FILE`, relative to the data folder.
    var path: String
    /// Seconds of audio stored.
    var seconds: Double
  }

  /// The shortest take kept, in seconds: a word takes longer to say.
  static let minimumTakeSeconds = 0.25

  /// Throws 400 for a take that cannot hold a word: shorter than `minimumTakeSeconds`, or
  /// without sound (`SilenceGate`: a muted microphone). Either would train the word on nothing.
  static func checkTake(_ samples: [Float], sampleRate: Int) throws(APIError) {
    let seconds = Double(samples.count) / Double(sampleRate)
    if seconds < minimumTakeSeconds {
      throw .badRequest(
        String(format: "the take holds %.2f s: record about a second of the word", seconds)
          + " (at least \(minimumTakeSeconds) s)")
    }
    if SilenceGate.isSilent(samples, sampleRate: sampleRate) {
      throw .badRequest(
        "the take holds no sound above \(Int(SilenceGate.levelDBFS)) dBFS: is the microphone "
          + "muted, or too far away?")
    }
  }

  /// Decodes `bytes`, converts them to `sampleRate` mono 16-bit and stores them as `speaker`'s
  /// next take of `word`. Undecodable audio, a take too short to hold a word and a take without
  /// sound are 400 with the reason.
  func add(_ bytes: Data, word: String, speaker: String, sampleRate: Int) throws(APIError) -> Saved
  {
    try RecordingNames.checkWord(word)
    try RecordingNames.checkSpeaker(speaker)
    let samples = try UploadFile.with(bytes) { (path) throws(APIError) in
      do {
        return try AudioFile.read(at: path, sampleRate: sampleRate)
      } catch {
        throw .badRequest(UploadFile.naming("\(error)", path))
      }
    }
    try Self.checkTake(samples, sampleRate: sampleRate)
    lock.lock()
    defer { lock.unlock() }
    let wordFolder = folder + "/" + word
    do {
      try FileManager.default.createDirectory(
        atPath: wordFolder, withIntermediateDirectories: true)
    } catch {
      throw APIError(500, "cannot create '\(wordFolder)': \(error.localizedDescription)")
    }
    let taken = Set(
      files(in: wordFolder).compactMap { RecordingNames.parseFile($0) }
        .filter { $0.speaker == speaker }.map(\.take))
    let take = (0...).first { !taken.contains($0) }!
    let name = RecordingNames.fileName(speaker: speaker, take: take)
    do {
      try AudioFile.write(samples, sampleRate: sampleRate, to: wordFolder + "/" + name)
    } catch {
      throw APIError(500, "\(error)")
    }
    return Saved(path: word + "/" + name, seconds: Double(samples.count) / Double(sampleRate))
  }

  /// One word's recordings.
  struct Word: Codable, Equatable, Sendable {
    var count: Int
    var files: [String]
  }

  /// Every word folder with the recordings this server could have written, sorted.
  func list() -> [String: Word] {
    lock.withLock {
      var words: [String: Word] = [:]
      for word in files(in: folder) where (try? RecordingNames.checkWord(word)) != nil {
        let names = files(in: folder + "/" + word).filter { RecordingNames.parseFile($0) != nil }
        if !names.isEmpty { words[word] = Word(count: names.count, files: names) }
      }
      return words
    }
  }

  /// The path of `word/file` after checking both names; 404 when it does not exist.
  func path(word: String, file: String) throws(APIError) -> String {
    try RecordingNames.checkWord(word)
    guard RecordingNames.parseFile(file) != nil else {
      throw .badRequest("'\(file)' is not a recording name (SPEAKER_nohash_N.wav)")
    }
    let path = folder + "/" + word + "/" + file
    guard FileManager.default.fileExists(atPath: path) else {
      throw .notFound("no recording '\(word)/\(file)'")
    }
    return path
  }

  /// Deletes `word/file`, and the word's folder with its last take: an empty label folder,
  /// which the listing hides, made every later retraining fail ("has no usable audio clips").
  func delete(word: String, file: String) throws(APIError) {
    lock.lock()
    defer { lock.unlock() }
    let path = try self.path(word: word, file: file)
    do {
      try FileManager.default.removeItem(atPath: path)
    } catch {
      throw APIError(500, "cannot delete '\(word)/\(file)': \(error.localizedDescription)")
    }
    let wordFolder = folder + "/" + word
    if files(in: wordFolder).isEmpty,
      (try? FileManager.default.contentsOfDirectory(atPath: wordFolder))?.isEmpty == true
    {
      try? FileManager.default.removeItem(atPath: wordFolder)
    }
  }

  private func files(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
      !$0.hasPrefix(".")
    }.sorted()
  }
}
