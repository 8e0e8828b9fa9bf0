/// A feature matrix: `frames` rows of `coefficients` values, row-major.
public struct FeatureMatrix: Sendable, Equatable {
  /// Number of frames (rows).
  public var frames: Int
  /// Values per frame (columns), deltas included.
  public var coefficients: Int
  /// `frames × coefficients` values, frame after frame.
  public var values: [Float]

  /// Wraps `values` (must hold `frames × coefficients` numbers).
  public init(frames: Int, coefficients: Int, values: [Float]) {
    precondition(
      values.count == frames * coefficients, "FeatureMatrix: values do not fit the shape")
    self.frames = frames
    self.coefficients = coefficients
    self.values = values
  }

  /// The value of `coefficient` in `frame`.
  public subscript(frame: Int, coefficient: Int) -> Float {
    get { values[frame * coefficients + coefficient] }
    set { values[frame * coefficients + coefficient] = newValue }
  }

  /// One frame's values.
  public func row(_ frame: Int) -> ArraySlice<Float> {
    values[frame * coefficients..<(frame + 1) * coefficients]
  }
}
