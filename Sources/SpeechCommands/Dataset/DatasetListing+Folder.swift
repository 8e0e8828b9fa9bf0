import Foundation
import SpeechModel

/// Name of the Speech Commands folder that holds background noise rather than a label.
public let backgroundNoiseFolder = "_background_noise_"
/// The class of clips without speech.
public let silenceLabel = "_silence_"
/// The class of words that are not among `--words`.
public let unknownLabel = "_unknown_"

extension DatasetListing {
  /// Lists a folder laid out as `DATA/<label>/<file>`.
  ///
  /// - `_background_noise_/` holds noise, not a label.
  /// - `validation_list.txt` and `testing_list.txt` at the top (lines `label/file.wav`, as in
  ///   Speech Commands) decide the split when either exists; everything not listed is training.
  /// - Otherwise `rule` (TensorFlow's hash rule) decides.
  /// - Hidden files, non-audio files and files outside label folders are skipped (see
  ///   `skippedSummary`). A label folder with no audio file is an error.
  public static func scanFolder(
    at path: String, rule: HashSplitRule = HashSplitRule()
  ) throws(DatasetError) -> DatasetListing {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw .notFound(path: path) }
    guard isDir.boolValue else { throw .notAFolder(path: path) }
    guard let top = try? fm.contentsOfDirectory(atPath: path) else {
      throw .notFound(path: path)
    }

    let validationList = try readList(path + "/validation_list.txt")
    let testList = try readList(path + "/testing_list.txt")
    let useLists = validationList != nil || testList != nil

    var recordings: [Recording] = []
    var noise: [String] = []
    var skipped: [String] = []
    var labelFolders: [[UInt8]: String] = [:]
    for entry in top.sorted() {
      let full = path + "/" + entry
      if AudioFileNames.isHidden(entry) {
        skipped.append(full)
        continue
      }
      guard fm.fileExists(atPath: full, isDirectory: &isDir) else { continue }
      if !isDir.boolValue {
        // Top-level text files (lists, README, LICENSE) are expected; audio here has no label.
        if AudioFileNames.isAudio(entry) { skipped.append(full) }
        continue
      }
      if entry != backgroundNoiseFolder, let problem = LabelName.problem(with: entry) {
        throw .badLabel(label: entry, path: path, problem: problem)
      }
      // A label folder that is a link to another would train the same takes under two labels.
      let folderIdentity = PathName.identity(of: full)
      if let other = labelFolders[folderIdentity] {
        throw .givenTwice(file: full, again: path + "/" + other)
      }
      labelFolders[folderIdentity] = entry
      let names = (try? fm.contentsOfDirectory(atPath: full))?.sorted() ?? []
      var found = 0
      for name in names {
        let file = full + "/" + name
        guard !AudioFileNames.isHidden(name), AudioFileNames.isAudio(name),
          fm.fileExists(atPath: file, isDirectory: &isDir), !isDir.boolValue
        else {
          skipped.append(file)
          continue
        }
        found += 1
        if entry == backgroundNoiseFolder {
          noise.append(file)
          continue
        }
        let key = entry + "/" + name
        let split: DatasetSplit
        if useLists {
          split =
            validationList?.contains(key) == true
            ? .validation : (testList?.contains(key) == true ? .test : .train)
        } else {
          split = rule.split(of: name)
        }
        recordings.append(Recording(path: file, label: entry, split: split))
      }
      if found == 0 && entry != backgroundNoiseFolder {
        throw .emptyLabel(label: entry, path: path)
      }
    }
    if recordings.isEmpty { throw .noAudio(path: path) }
    return DatasetListing(source: path, recordings: recordings, noiseFiles: noise, skipped: skipped)
  }

  /// Lines of a list file as a set (blank lines dropped), or nil when the file does not exist.
  /// Throws when it exists but is not UTF-8 text: ignoring it would move its clips to training
  /// without a word.
  private static func readList(_ path: String) throws(DatasetError) -> Set<String>? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    guard !data.contains(0), let text = String(validating: data, as: UTF8.self) else {
      throw .badManifest(path: path, line: 1, reason: "not UTF-8 text")
    }
    return Set(
      text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty })
  }

  /// Lists every audio file of a folder (not recursive) as noise, for `--noise DIR`.
  public static func noiseFiles(in path: String) throws(DatasetError) -> [String] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
      throw .notFound(path: path)
    }
    let files = names.sorted().filter { !AudioFileNames.isHidden($0) && AudioFileNames.isAudio($0) }
      .map { path + "/" + $0 }
    if files.isEmpty { throw .noAudio(path: path) }
    return files
  }
}
