@testable import SpeechModel

/// Naive Float64 implementations for the tests: an independent path to compare the BLAS
/// kernels and the fused loss gradients against.
enum Reference {
  /// Logits of `x` (rows × inputSize) through `parameters` laid out as `model`'s, in Double,
  /// with plain loops (no BLAS).
  ///
  /// Convolutions are computed straight from their definition: output (r, t, o) = ReLU(b[o] +
  /// Σ_j Σ_c x[r, t + j·dilation, c] · W[o, j, c]).
  static func logits(_ model: MLP, parameters: [Double], x: [Double], rows: Int) -> [Double] {
    var input = x
    if let convolution = model.convolution {
      for (i, layer) in convolution.layers.enumerated() {
        let (framesIn, channelsIn, framesOut) = convolution.shape(i)
        let w = convolution.weightOffset(i)
        let b = w + layer.channels * layer.width * channelsIn
        var out = [Double](repeating: 0, count: rows * framesOut * layer.channels)
        for r in 0..<rows {
          for t in 0..<framesOut {
            for o in 0..<layer.channels {
              var sum = parameters[b + o]
              for j in 0..<layer.width {
                for c in 0..<channelsIn {
                  sum +=
                    input[(r * framesIn + t + j * layer.dilation) * channelsIn + c]
                    * parameters[w + (o * layer.width + j) * channelsIn + c]
                }
              }
              out[(r * framesOut + t) * layer.channels + o] = max(sum, 0)
            }
          }
        }
        input = out
      }
    }
    for layer in 0..<model.layerCount {
      let (inputs, outputs) = model.layerShape(layer)
      let w = model.weightOffset(layer)
      let b = model.biasOffset(layer)
      var out = [Double](repeating: 0, count: rows * outputs)
      for r in 0..<rows {
        for o in 0..<outputs {
          var sum = parameters[b + o]
          for i in 0..<inputs { sum += input[r * inputs + i] * parameters[w + o * inputs + i] }
          out[r * outputs + o] = layer < model.layerCount - 1 ? max(sum, 0) : sum
        }
      }
      input = out
    }
    return input
  }

  /// Mean softmax cross-entropy with class weights and label smoothing, written out directly.
  static func crossEntropy(
    _ z: [Double], classes: Int, targets: [Int], weights: [Double]?, smoothing: Double
  ) -> Double {
    let rows = targets.count
    var total = 0.0
    var divisor = 0.0
    for r in 0..<rows {
      let row = Array(z[r * classes..<(r + 1) * classes])
      let m = row.max()!
      let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
      let w = weights ?? [Double](repeating: 1, count: classes)
      var loss = (1 - smoothing) * w[targets[r]] * (lse - row[targets[r]])
      for c in 0..<classes { loss += smoothing / Double(classes) * w[c] * (lse - row[c]) }
      total += loss
      divisor += w[targets[r]]
    }
    return total / divisor
  }

  /// Mean binary cross-entropy with logits, positive weights and per-class weights.
  static func binaryCrossEntropy(
    _ z: [Double], classes: Int, targets: [Double], weights: [Double]?, positive: [Double]?
  ) -> Double {
    var total = 0.0
    for i in z.indices {
      let c = i % classes
      let p = 1 / (1 + Foundation.exp(-z[i]))
      let pw = positive?[c] ?? 1
      let loss = -(pw * targets[i] * Foundation.log(p) + (1 - targets[i]) * Foundation.log(1 - p))
      total += loss * (weights?[c] ?? 1)
    }
    return total / Double(z.count)
  }
}

import Foundation
