import Foundation

/// One recording found in the data: where it is, its label as found, and its split.
public struct Recording: Sendable, Hashable {
  /// Path of the audio file (as found: relative paths stay relative to the working directory).
  public var path: String
  /// Label from the folder name or the manifest's `label` column.
  public var label: String
  /// Split from the list files, the manifest's `split` column or the hash rule.
  public var split: DatasetSplit

  public init(path: String, label: String, split: DatasetSplit) {
    self.path = path
    self.label = label
    self.split = split
  }
}

/// What a data folder or manifest holds, before any audio is decoded.
public struct DatasetListing: Sendable, Equatable {
  /// The folder or manifest this listing came from (for messages).
  public var source: String
  /// Labelled recordings, sorted by label then path (a stable order for seeded shuffles).
  public var recordings: [Recording]
  /// Long recordings of background noise (`_background_noise_/`), used for augmentation and to
  /// make `_silence_` clips.
  public var noiseFiles: [String]
  /// Files that were passed over: hidden files and files whose extension is not audio.
  public var skipped: [String]

  public init(source: String, recordings: [Recording], noiseFiles: [String], skipped: [String]) {
    self.source = source
    self.recordings = recordings.sorted { ($0.label, $0.path) < ($1.label, $1.path) }
    self.noiseFiles = noiseFiles.sorted()
    self.skipped = skipped
  }

  /// Labels in sorted order (byte order of their UTF-8, stable across platforms).
  public var labels: [String] { Array(Set(recordings.map(\.label))).sorted() }

  /// Number of recordings per label and split.
  public func counts() -> [String: [DatasetSplit: Int]] {
    var out: [String: [DatasetSplit: Int]] = [:]
    for r in recordings { out[r.label, default: [:]][r.split, default: 0] += 1 }
    return out
  }

  /// One summary line for the skipped files, or nil when none were skipped.
  public var skippedSummary: String? {
    guard !skipped.isEmpty else { return nil }
    let names = skipped.prefix(5).map { PathName.lastComponent(of: $0) }
    let more = skipped.count > 5 ? ", …" : ""
    return "skipped \(skipped.count) hidden or non-audio files in '\(source)' ("
      + names.joined(separator: ", ") + more + ")"
  }

  /// The listing with `other`'s recordings and noise files added (used to mix old data in when
  /// retraining).
  ///
  /// Throws when a recording is in both (`--data new` naming the folder being retrained on, or
  /// one folder given twice): it would be counted twice, and could land in training and
  /// validation at once. Paths are compared with symbolic links resolved.
  public func merged(with other: DatasetListing) throws(DatasetError) -> DatasetListing {
    let mine = Set(recordings.map { PathName.identity(of: $0.path) })
    if let twice = other.recordings.first(where: { mine.contains(PathName.identity(of: $0.path)) })
    {
      throw .givenTwice(file: twice.path, again: other.source)
    }
    return DatasetListing(
      source: source, recordings: recordings + other.recordings,
      noiseFiles: Array(Set(noiseFiles + other.noiseFiles)), skipped: skipped + other.skipped)
  }
}

/// File-name rules shared by the folder scanner and the manifest reader.
public enum AudioFileNames {
  /// Extensions libsndfile reads (lower case, without the dot).
  public static let extensions: Set<String> = [
    "wav", "wave", "flac", "ogg", "oga", "opus", "aif", "aiff", "aifc", "au", "snd", "caf", "w64",
    "rf64", "mp3", "voc", "htk", "sf", "ircam", "mat", "pvf", "xi", "sd2", "wve", "mpc", "avr",
  ]

  /// Whether `name` looks like an audio file by its extension.
  public static func isAudio(_ name: String) -> Bool {
    extensions.contains(PathName.fileExtension(of: name).lowercased())
  }

  /// Whether `name` is hidden (starts with a dot).
  public static func isHidden(_ name: String) -> Bool { name.hasPrefix(".") }
}
