import Foundation

/// A small, fast, seedable random number generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed always gives the same sequence on every platform, which is what makes weight
/// initialisation, shuffling and dropout reproducible (`--seed`). Not cryptographically secure.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// A generator whose whole sequence is determined by `seed` (any value, including 0).
  public init(seed: UInt64) {
    var splitMix = SplitMix64(seed: seed)
    s0 = splitMix.next()
    s1 = splitMix.next()
    s2 = splitMix.next()
    s3 = splitMix.next()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension RandomNumberGenerator {
  /// A uniform `Double` in [0, 1) built from the top 53 bits of one draw (exactly reproducible).
  @inlinable
  package mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// A standard normal sample by the Box–Muller transform (two draws per sample, no caching so
  /// the sequence depends only on the number of calls).
  package mutating func nextStandardNormal() -> Double {
    let u1 = 1 - nextUnitDouble()  // (0, 1]: log is finite
    let u2 = nextUnitDouble()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}
