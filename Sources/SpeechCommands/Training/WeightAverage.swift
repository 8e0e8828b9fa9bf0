import SpeechModel

/// An exponential moving average of a network's weights over optimiser steps (Polyak
/// averaging, as `tf.train.ExponentialMovingAverage`). The averaged network sits in a flatter
/// part of the loss surface than the last step's, which tends to generalise better; training
/// validates, keeps and saves the averaged network when this is on.
public struct WeightAverage: Sendable {
  /// Decay per step; the average after step t is `a ← δ·a + (1 − δ)·w` with
  /// `δ = min(decay, (1 + t) / (10 + t))`, so early averages are not dominated by the
  /// initial weights.
  public let decay: Double
  /// The averaged parameters, in `MLP.parameters` layout.
  public private(set) var parameters: [Float]
  /// Steps averaged so far.
  public private(set) var steps = 0

  /// Starts the average at `network`'s weights.
  public init(decay: Double, network: MLP) {
    self.decay = decay
    self.parameters = network.parameters
  }

  /// Folds `network`'s current weights into the average.
  public mutating func update(with network: MLP) {
    let d = Float(min(decay, Double(1 + steps) / Double(10 + steps)))
    precondition(network.parameters.count == parameters.count, "the network changed shape")
    network.parameters.withUnsafeBufferPointer { w in
      parameters.withUnsafeMutableBufferPointer { a in
        for i in 0..<a.count { a[i] = d * a[i] + (1 - d) * w[i] }
      }
    }
    steps += 1
  }

  /// `network` with the averaged weights.
  public func averaged(_ network: MLP) -> MLP {
    var copy = network
    copy.parameters = parameters
    return copy
  }
}
