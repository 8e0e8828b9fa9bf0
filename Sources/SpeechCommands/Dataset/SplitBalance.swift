/// How a data set's clips fell into the splits, and whether that is a problem worth saying out
/// loud before training: a training split holding under half of the clips (Speech Commands' own
/// hash rule puts most of its *test* partition in `test`), or no validation clips (no early
/// stopping, no calibration, no fitted operating point).
public struct SplitBalance: Sendable, Equatable {
  /// Clips per split (after `_unknown_` and `_silence_` were added).
  public var train: Int
  public var validation: Int
  public var test: Int

  /// Creates the counts.
  public init(train: Int, validation: Int, test: Int) {
    self.train = train
    self.validation = validation
    self.test = test
  }

  /// All clips.
  public var total: Int { train + validation + test }

  /// The training split holds under half of the clips.
  public var trainingIsMinority: Bool { total > 0 && train * 2 < total }

  /// Whether to warn: the training split holds under half of the clips, or the validation split
  /// is empty although `validationExpected` (a non-zero validation share was asked for).
  public func isLopsided(validationExpected: Bool) -> Bool {
    trainingIsMinority || (validationExpected && validation == 0 && total > 0)
  }

  /// "train 327 (12%), validation 49 (2%), test 2362 (86%) of 2738 clips".
  public var summary: String {
    func part(_ name: String, _ n: Int) -> String {
      "\(name) \(n) (\(total == 0 ? 0 : Int((Double(n) * 100 / Double(total)).rounded()))%)"
    }
    return [part("train", train), part("validation", validation), part("test", test)]
      .joined(separator: ", ") + " of \(total) clips"
  }
}
