/// SplitMix64 (Steele, Lea and Flood 2014): a 64-bit state advanced by the golden-ratio constant
/// and mixed. Seeds `SeededGenerator`, and is the cheap generator of bulk synthetic noise.
/// Not cryptographically secure.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
  private var state: UInt64

  /// A generator starting from `seed` (any value, including 0).
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  @inline(__always)
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
