import Foundation
import SpeechTestSupport
import Testing

@testable import SpeechCommands

@Suite struct DatasetListingTests {
  /// A folder of placeholder files (listing reads names only, never audio).
  func folder(_ files: [String]) throws -> TemporaryFolder {
    let dir = try TemporaryFolder()
    for f in files { try dir.write(f, "x") }
    return dir
  }

  @Test func labelsComeFromFoldersAndNoiseIsNotALabel() throws {
    let dir = try folder([
      "yes/0a7c2a8d_nohash_0.wav", "yes/0c40e715_nohash_1.flac", "no/ffd2ba2f_nohash_4.WAV",
      "_background_noise_/white.wav", "_background_noise_/README.md", "no/.DS_Store",
      "no/notes.txt", "README.md",
    ])
    let listing = try DatasetListing.scanFolder(at: dir.path)
    #expect(listing.labels == ["no", "yes"])
    #expect(listing.recordings.count == 3)
    #expect(listing.noiseFiles == [dir.path + "/_background_noise_/white.wav"])
    #expect(listing.skipped.count == 3)
    let summary = try #require(listing.skippedSummary)
    #expect(summary.contains("skipped 3 hidden or non-audio files"))
    // Splits follow TensorFlow's rule (see tf-which-set.json).
    let split = Dictionary(
      uniqueKeysWithValues: listing.recordings.map {
        (($0.path as NSString).lastPathComponent, $0.split)
      })
    #expect(split["0a7c2a8d_nohash_0.wav"] == .train)
    #expect(split["0c40e715_nohash_1.flac"] == .test)
  }

  @Test func listFilesDecideTheSplitWhenPresent() throws {
    let dir = try folder([
      "yes/a_nohash_0.wav", "yes/b_nohash_0.wav", "no/c_nohash_0.wav", "no/d_nohash_0.wav",
    ])
    try dir.write("validation_list.txt", "yes/a_nohash_0.wav\n")
    try dir.write("testing_list.txt", "no/d_nohash_0.wav\r\n\n")
    let listing = try DatasetListing.scanFolder(at: dir.path)
    let split = Dictionary(
      uniqueKeysWithValues: listing.recordings.map {
        (($0.path as NSString).lastPathComponent, $0.split)
      })
    #expect(
      split == [
        "a_nohash_0.wav": .validation, "b_nohash_0.wav": .train,
        "c_nohash_0.wav": .train, "d_nohash_0.wav": .test,
      ])
    // A list that is not UTF-8 is refused: ignoring it moved its clips to training unsaid.
    try Data([0x79, 0x65, 0x73, 0x2F, 0xE9, 0x2E, 0x77, 0x61, 0x76, 0x0A]).write(
      to: URL(fileURLWithPath: dir.path + "/validation_list.txt"))
    #expect(
      throws: DatasetError.badManifest(
        path: dir.path + "/validation_list.txt", line: 1, reason: "not UTF-8 text")
    ) { try DatasetListing.scanFolder(at: dir.path) }
  }

  /// A label folder that is a symbolic link to another would train its takes under two labels.
  @Test func aLabelFolderLinkedToAnotherIsRefused() throws {
    let dir = try folder(["yes/a_nohash_0.wav", "no/b_nohash_0.wav"])
    try FileManager.default.createSymbolicLink(
      atPath: dir.path + "/yes2", withDestinationPath: dir.path + "/yes")
    #expect(throws: DatasetError.givenTwice(file: dir.path + "/yes2", again: dir.path + "/yes")) {
      try DatasetListing.scanFolder(at: dir.path)
    }
  }

  /// A manifest given where a data folder goes is named, with the option it needed.
  @Test func aFileGivenAsADataFolderIsNamed() throws {
    let dir = try TemporaryFolder()
    try dir.write("base.csv", "path,label\n")
    let error = DatasetError.notAFolder(path: dir.path + "/base.csv")
    #expect(throws: error) { try DatasetListing.scanFolder(at: dir.path + "/base.csv") }
    #expect(
      error.description.hasSuffix(
        "is a file, not a data folder (for a CSV manifest, use --manifest)"))
  }

  @Test func errorsBeforeAnyWork() throws {
    #expect(throws: DatasetError.notFound(path: "/nonexistent/data")) {
      try DatasetListing.scanFolder(at: "/nonexistent/data")
    }
    let empty = try folder(["README.md", "yes/notes.txt"])
    #expect(throws: DatasetError.emptyLabel(label: "yes", path: empty.path)) {
      try DatasetListing.scanFolder(at: empty.path)
    }
    let nothing = try folder(["README.md"])
    #expect(throws: DatasetError.noAudio(path: nothing.path)) {
      try DatasetListing.scanFolder(at: nothing.path)
    }
    // A folder name that cannot be a label (it would be refused in the model file after
    // training, or split a CSV column).
    let comma = try folder(["a,b/x.wav", "c/y.wav"])
    #expect(throws: DatasetError.badLabel(label: "a,b", path: comma.path, problem: "holds a ','")) {
      try DatasetListing.scanFolder(at: comma.path)
    }
  }

  /// One recording reached through two sources (the same folder given twice, or through a
  /// link to it) is refused: it would count twice, maybe once in training and once in
  /// validation.
  @Test func aRecordingGivenTwiceIsAnError() throws {
    let dir = try folder(["new/yes/a.wav", "new/no/b.wav", "old/up/c.wav", "old/up/d.wav"])
    let new = try DatasetListing.scanFolder(at: dir.file("new"))
    let old = try DatasetListing.scanFolder(at: dir.file("old"))
    #expect(try new.merged(with: old).recordings.count == 4)
    try FileManager.default.createSymbolicLink(
      atPath: dir.file("link"), withDestinationPath: dir.file("new"))
    let linked = try DatasetListing.scanFolder(at: dir.file("link"))
    #expect(
      throws: DatasetError.givenTwice(file: dir.file("link/no/b.wav"), again: dir.file("link"))
    ) {
      try new.merged(with: old).merged(with: linked)
    }
  }

  @Test func manifestPathsAreRelativeToTheManifest() throws {
    let dir = try folder(["audio/0_jackson_0.wav", "audio/1_theo_7.wav"])
    try dir.write(
      "lists/fsdd.csv",
      """
      label,path,split,speaker
      zero,../audio/0_jackson_0.wav,test,jackson
      one,"../audio/1_theo_7.wav",,theo
      _background_noise_,/abs/noise.wav,,
      one,../audio/readme.txt,train,x

      """)
    let listing = try DatasetListing.readManifest(at: dir.path + "/lists/fsdd.csv")
    #expect(listing.labels == ["one", "zero"])
    #expect(
      listing.recordings.first { $0.label == "zero" }
        == Recording(
          path: dir.path + "/lists/../audio/0_jackson_0.wav", label: "zero", split: .test))
    let one = try #require(listing.recordings.first { $0.label == "one" })
    #expect(one.split == HashSplitRule().split(of: "1_theo_7.wav"))
    #expect(listing.noiseFiles == ["/abs/noise.wav"])
    #expect(listing.skipped.count == 1)
  }

  /// `--data takes/` or a manifest row can put `//` before a non-ASCII file name, which once made
  /// the reader trap inside Foundation (found by fuzzing; the input is kept in Resources/fuzz).
  @Test func doubledSlashBeforeNonASCIINamesParse() throws {
    let listing = try DatasetListing.parseManifest(
      "path,label\ntakes//café_nohash_0.wav,yes\n", path: "/m/list.csv")
    #expect(listing.recordings.map(\.path) == ["/m/takes//café_nohash_0.wav"])
    #expect(listing.recordings[0].split == HashSplitRule().split(of: "café_nohash_0.wav"))
    let crash = try #require(
      Bundle.module.url(
        forResource: "Resources/fuzz/manifest-doubled-slash-before-non-ascii", withExtension: "csv")
    )
    let text = String(decoding: try Data(contentsOf: crash), as: UTF8.self)
    #expect(throws: DatasetError.self) {
      try DatasetListing.parseManifest(text, path: "/fuzz/manifest.csv")
    }
  }

  @Test func badManifestsNameTheLine() throws {
    let dir = try TemporaryFolder()
    /// Writes `bytes` as `name` and expects the reader to refuse it at `line` for `reason`.
    func refused(
      _ name: String, _ bytes: Data, line: Int, _ reason: String,
      sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
      try bytes.write(to: URL(fileURLWithPath: dir.path + "/" + name))
      #expect(
        throws: DatasetError.badManifest(path: dir.path + "/" + name, line: line, reason: reason),
        sourceLocation: sourceLocation
      ) { try DatasetListing.readManifest(at: dir.path + "/" + name) }
    }
    try dir.write("a.csv", "file,label\nx.wav,yes\n")
    #expect(throws: DatasetError.self) { try DatasetListing.readManifest(at: dir.path + "/a.csv") }
    try refused(
      "b.csv", Data("path,label,split\nx.wav,yes,holdout\n".utf8), line: 2,
      "unknown split 'holdout' (use train, validation or test)")
    try dir.write("c.csv", "path,label\nx.wav,\n")
    #expect(throws: DatasetError.self) { try DatasetListing.readManifest(at: dir.path + "/c.csv") }
    // A file listed twice would be trained on twice, or trained on and tested on.
    try refused(
      "d.csv", Data("path,label,split\nx.wav,yes,train\ny.wav,no,train\nx.wav,yes,test\n".utf8),
      line: 4, "'x.wav' is listed again (first on line 2)")
    // The same file written another way is the same file.
    try refused(
      "d2.csv", Data("path,label\nx.wav,yes\n./x.wav,no\n".utf8), line: 3,
      "'./x.wav' is listed again (first on line 2)")
    // Names equal as Swift strings but not as bytes (NFC and NFD "é") are two files on Linux.
    try dir.write("d3.csv", "path,label\ncaf\u{E9}.wav,yes\ncafe\u{301}.wav,no\n")
    #expect(try DatasetListing.readManifest(at: dir.path + "/d3.csv").recordings.count == 2)
    // Labels become folder names and table columns.
    try refused(
      "e.csv", Data("path,label\nx.wav,../evil\n".utf8), line: 2,
      "the label \"../evil\" holds a '/'")
    // UTF-16, as some spreadsheets save CSV.
    try refused(
      "f.csv", Data("p\0a\0t\0h\0,\0l\0a\0b\0e\0l\0\n\0".utf8), line: 1,
      "not UTF-8 text (it holds NUL bytes)")
    // Latin-1, as older spreadsheets save it: "café" would become "caf\u{FFFD}".
    try refused(
      "g.csv", Data("path,label\nx.wav,yes\ny.wav,caf".utf8 + [0xE9, 0x0A]), line: 3,
      "not UTF-8 text (save it as UTF-8, e.g. iconv -f latin1 -t utf8)")
  }

  @Test func csvHandlesQuotesAndCRLF() {
    let rows = CSV.parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\nlast,\n")
    #expect(rows.map(\.fields) == [["a", "b"], ["x, y", "say \"hi\""], ["last", ""]])
    #expect(rows.map(\.line) == [1, 2, 3])
  }

  /// Old Mac line ends (a lone CR) end rows too; a CR inside quotes is the field's.
  @Test func csvHandlesLoneCR() {
    let rows = CSV.parse("path,label\ra.wav,yes\r\"b\rc.wav\",no\r")
    #expect(rows.map(\.fields) == [["path", "label"], ["a.wav", "yes"], ["b\rc.wav", "no"]])
    #expect(rows.map(\.line) == [1, 2, 3])
  }

  /// A quote that is never closed swallows the rest of the file: the manifest names the line it
  /// opens on in one line, instead of an error quoting the rest of the file.
  @Test func anUnclosedQuoteIsNamedWhereItOpens() throws {
    #expect(CSV.parse("a,b\n\"x,y\nz,w\n").last?.unclosedQuote == true)
    #expect(CSV.parse("a,b\n\"x\",y\n").last?.unclosedQuote == false)
    let dir = try folder([])
    try dir.write("m.csv", "path,label\na.wav,yes\n\"b.wav,no\nc.wav,no\n")
    #expect(
      throws: DatasetError.badManifest(
        path: dir.file("m.csv"), line: 3,
        reason: "a quoted field starting on this line is never closed")
    ) { try DatasetListing.readManifest(at: dir.file("m.csv")) }
  }
}
