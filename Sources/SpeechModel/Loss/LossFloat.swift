import Foundation

/// The floating-point types the losses run in: `Float` for training, `Double` for reference
/// checks. Adds the three elementary functions the losses need to `BinaryFloatingPoint`.
public protocol LossFloat: BinaryFloatingPoint, Sendable {
  /// eˣ.
  static func exponential(_ x: Self) -> Self
  /// The natural logarithm of x.
  static func logarithm(_ x: Self) -> Self
  /// log(1 + x), accurate for small x.
  static func logarithmOnePlus(_ x: Self) -> Self
}

extension Float: LossFloat {
  @inlinable public static func exponential(_ x: Float) -> Float { expf(x) }
  @inlinable public static func logarithm(_ x: Float) -> Float { logf(x) }
  @inlinable public static func logarithmOnePlus(_ x: Float) -> Float { log1pf(x) }
}

extension Double: LossFloat {
  @inlinable public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
  @inlinable public static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
  @inlinable public static func logarithmOnePlus(_ x: Double) -> Double { Foundation.log1p(x) }
}
