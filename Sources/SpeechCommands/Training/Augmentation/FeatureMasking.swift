import SpeechModel

/// SpecAugment-style masks (Park et al. 2019) on training features: random runs of frames
/// (time masks) and random runs of coefficients (frequency masks) are set to the training mean,
/// so the network cannot lean on any one moment or band of a word. Drawn afresh for every clip
/// and epoch; validation and test clips are never masked.
public struct FeatureMaskOptions: Sendable, Hashable, Codable {
  /// Time masks per clip. Default 0 (off).
  public var timeMasks: Int
  /// Widest time mask in frames; each mask's width is uniform in [0, maxFrames]. Default 0.
  public var maxFrames: Int
  /// Frequency masks per clip. Default 0 (off).
  public var frequencyMasks: Int
  /// Widest frequency mask in coefficients; each mask's width is uniform in [0, maxCoefficients].
  /// A masked coefficient is masked in every frame and in its deltas too. Default 0.
  public var maxCoefficients: Int

  public init(
    timeMasks: Int = 0, maxFrames: Int = 0, frequencyMasks: Int = 0, maxCoefficients: Int = 0
  ) {
    self.timeMasks = timeMasks
    self.maxFrames = maxFrames
    self.frequencyMasks = frequencyMasks
    self.maxCoefficients = maxCoefficients
  }

  /// True when some mask can cover something.
  public var isActive: Bool {
    (timeMasks > 0 && maxFrames > 0) || (frequencyMasks > 0 && maxCoefficients > 0)
  }
}

/// Applies `FeatureMaskOptions` to standardised feature rows.
public enum FeatureMasker {
  /// Sets the masked entries of one clip's standardised features to 0 (the training mean).
  ///
  /// `features`: `frames × perFrame`, row-major (frame t at `t·perFrame`), where each frame holds
  /// `groups` blocks of `perFrame / groups` coefficients (statics, then deltas, then
  /// delta-deltas); a frequency mask covers the same coefficients in every block. Draws, per
  /// time mask then per frequency mask: width, then start.
  public static func mask(
    _ features: inout ArraySlice<Float>, frames: Int, perFrame: Int, groups: Int,
    options: FeatureMaskOptions, using rng: inout some RandomNumberGenerator
  ) {
    precondition(features.count == frames * perFrame, "features must be frames × perFrame")
    precondition(groups >= 1 && perFrame % groups == 0, "perFrame must be a multiple of groups")
    let base = features.startIndex
    let band = perFrame / groups
    if options.maxFrames > 0 {
      for _ in 0..<options.timeMasks {
        let (start, width) = draw(length: frames, maxWidth: options.maxFrames, using: &rng)
        for t in start..<(start + width) {
          for c in 0..<perFrame { features[base + t * perFrame + c] = 0 }
        }
      }
    }
    if options.maxCoefficients > 0 {
      for _ in 0..<options.frequencyMasks {
        let (start, width) = draw(length: band, maxWidth: options.maxCoefficients, using: &rng)
        for t in 0..<frames {
          for g in 0..<groups {
            for k in start..<(start + width) { features[base + t * perFrame + g * band + k] = 0 }
          }
        }
      }
    }
  }

  /// Masks every `frames × perFrame` row of `values` (a training epoch's standardised features),
  /// row r from its own generator seeded by `seeds[r]` (mixed with a constant, so the masks do
  /// not repeat the draws of the clip's audio augmentation). Does nothing when no mask is active.
  public static func mask(
    rows values: inout [Float], frames: Int, perFrame: Int, groups: Int,
    options: FeatureMaskOptions, seeds: [UInt64]
  ) {
    guard options.isActive else { return }
    let d = frames * perFrame
    precondition(values.count == seeds.count * d, "one seed per row")
    for r in seeds.indices {
      var rng = SeededGenerator(seed: seeds[r] ^ 0x6D61_736B_6D61_736B)  // "maskmask"
      mask(
        &values[(r * d)..<((r + 1) * d)], frames: frames, perFrame: perFrame, groups: groups,
        options: options, using: &rng)
    }
  }

  /// A run of `width ∈ [0, min(maxWidth, length)]` positions starting in `[0, length − width]`.
  static func draw(
    length: Int, maxWidth: Int, using rng: inout some RandomNumberGenerator
  ) -> (start: Int, width: Int) {
    let width = Int.random(in: 0...min(maxWidth, length), using: &rng)
    let start = Int.random(in: 0...(length - width), using: &rng)
    return (start, width)
  }
}
