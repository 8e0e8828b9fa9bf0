import Foundation

/// The split of retraining's new recordings when a label has only a few takes.
///
/// The hash rule sends about 10% of takes to validation and 10% to test: for a new word with 15
/// takes that leaves ~11 to learn from, and as few as 0 or as many as 5 to validate on. For a
/// label with fewer than `fewTakes` takes, this rule instead keeps `validationTakes(n)` takes
/// (about 10%, at least 2) in validation and trains on all the others; none go to test. The
/// validation takes are never trained on, so validation still measures the label honestly;
/// when the label has takes of at least three speakers, whole speakers are held out (those with
/// the lowest hash first), so validation hears voices training did not.
public enum FewTakeSplit {
  /// Labels with fewer takes than this are re-split. 40.
  public static let fewTakes = 40

  /// Takes kept for validation out of `n`: max(2, round(n / 10)), and never more than n − 1.
  public static func validationTakes(_ n: Int) -> Int {
    min(max(2, Int((Double(n) / 10).rounded())), max(0, n - 1))
  }

  /// `listing` with the takes of each label with fewer than `fewTakes` of them re-split (see the
  /// type). Other labels, and noise files, are unchanged.
  public static func apply(to listing: DatasetListing) -> DatasetListing {
    var recordings = listing.recordings
    for takes in fewTakeLabels(of: listing).values {
      for i in takes { recordings[i].split = .train }
      let wanted = validationTakes(takes.count)
      let speakers = Dictionary(grouping: takes) {
        HashSplitRule.hashName(of: recordings[$0].path)
      }
      // Whole speakers when there are several, single takes otherwise; lowest hash first.
      let groups: [[Int]] =
        speakers.count >= 3
        ? Array(speakers.values) : takes.map { [$0] }
      let ordered = groups.sorted {
        (order(of: $0, in: recordings), recordings[$0[0]].path)
          < (order(of: $1, in: recordings), recordings[$1[0]].path)
      }
      var held = 0
      for group in ordered where held < wanted {
        for i in group { recordings[i].split = .validation }
        held += group.count
      }
    }
    return DatasetListing(
      source: listing.source, recordings: recordings, noiseFiles: listing.noiseFiles,
      skipped: listing.skipped)
  }

  /// The takes (indices into `listing.recordings`) of each label with fewer than `fewTakes`.
  public static func fewTakeLabels(of listing: DatasetListing) -> [String: [Int]] {
    var byLabel: [String: [Int]] = [:]
    for (i, r) in listing.recordings.enumerated() { byLabel[r.label, default: []].append(i) }
    return byLabel.filter { $0.value.count < fewTakes }
  }

  /// The hash percentage of a group's first take (by its full file name, so takes of one
  /// speaker get distinct orders).
  private static func order(of group: [Int], in recordings: [Recording]) -> Double {
    HashSplitRule.percentageHash(of: PathName.lastComponent(of: recordings[group[0]].path))
  }
}
