/// A multilayer perceptron: dense + ReLU (+ dropout in training) hidden layers and a linear
/// output layer that produces logits (softmax or sigmoid is applied by the loss / `probabilities`).
///
/// All weights and biases live in one flat `parameters` buffer, layer after layer, each layer as
/// its weight matrix (outputs × inputs, row-major, PyTorch's `nn.Linear` layout) followed by its
/// bias (outputs). Gradients and optimiser state use the same layout, so an optimiser step is one
/// loop over one array.
///
/// No batch normalisation: the inputs are normalised per feature before they reach the network
/// (the model file stores the mean and standard deviation), the nets are shallow (three or four
/// layers) with He initialisation, and Adam trains them reliably without it; batch norm would add
/// running statistics, a training/inference difference and a slower one-sample path for no gain
/// at this depth.
public struct MLP: Sendable, Equatable {
  /// Features per input sample.
  public private(set) var inputSize: Int
  /// Convolutions over the input's frames before the dense layers, or nil (a plain MLP). Their
  /// weights come first in `parameters`, layer by layer (weights channels × width · channelsIn,
  /// tap-major, then biases).
  public private(set) var convolution: FrameConvolution?
  /// Width of each hidden layer, first to last (may be empty: a linear model).
  public private(set) var hidden: [Int]
  /// Number of outputs (classes).
  public private(set) var outputSize: Int
  /// Probability of zeroing a hidden activation during training (inverted dropout: kept
  /// activations are scaled by 1/(1 − p)); in [0, 1). Not used at inference. Default 0.
  public var dropout: Float
  /// Every weight and bias; see the type's description for the layout. Its count is fixed by
  /// the layer sizes (`parameterCount`): change values, never the length.
  public var parameters: [Float]

  /// A network initialised from `rng`: He-normal weights (std √(2/fan_in)) for the ReLU layers,
  /// Xavier-uniform (±√(6/(fan_in + fan_out))) for the output layer, zero biases. The same
  /// generator state gives bit-identical weights.
  ///
  /// Convolution layers, if any, are drawn first, He-normal over their patches (fan_in =
  /// width · channelsIn), so a network without them draws exactly what it drew before they
  /// existed.
  public init(
    inputSize: Int, convolution: FrameConvolution? = nil, hidden: [Int], outputSize: Int,
    dropout: Float = 0, using rng: inout some RandomNumberGenerator
  ) {
    self.init(
      inputSize: inputSize, convolution: convolution, hidden: hidden, outputSize: outputSize,
      dropout: dropout, parameters: [])
    if let convolution {
      for i in convolution.layers.indices {
        let fanIn = convolution.layers[i].width * convolution.shape(i).channelsIn
        let std = (2 / Double(fanIn)).squareRoot()
        let offset = convolution.weightOffset(i)
        for j in 0..<fanIn * convolution.layers[i].channels {
          parameters[offset + j] = Float(std * rng.nextStandardNormal())
        }
      }
    }
    for layer in 0..<layerCount {
      let shape = layerShape(layer)
      let offset = weightOffset(layer)
      if layer < hidden.count {
        let std = (2 / Double(shape.inputs)).squareRoot()
        for i in 0..<shape.inputs * shape.outputs {
          parameters[offset + i] = Float(std * rng.nextStandardNormal())
        }
      } else {
        Self.xavier(&parameters, offset: offset, shape: shape, using: &rng)
      }
    }
  }

  /// A network with the given weights in the flat layout (e.g. read from a model file).
  /// An empty `parameters` gives all zeros.
  /// A convolution must pass `FrameConvolution.problem` and read rows of `inputSize` values.
  public init(
    inputSize: Int, convolution: FrameConvolution? = nil, hidden: [Int], outputSize: Int,
    dropout: Float = 0, parameters: [Float]
  ) {
    precondition(
      inputSize > 0 && outputSize > 0 && hidden.allSatisfy { $0 > 0 },
      "layer sizes must be positive")
    precondition(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)")
    if let convolution {
      precondition(convolution.problem == nil, convolution.problem ?? "")
      precondition(
        convolution.frames * convolution.frameWidth == inputSize,
        "the convolution must read the whole input row")
    }
    self.inputSize = inputSize
    self.convolution = convolution
    self.hidden = hidden
    self.outputSize = outputSize
    self.dropout = dropout
    let count = Self.parameterCount(
      convolution: convolution,
      sizes: [convolution?.outputSize ?? inputSize] + hidden + [outputSize])
    precondition(parameters.isEmpty || parameters.count == count, "expected \(count) parameters")
    self.parameters = parameters.isEmpty ? [Float](repeating: 0, count: count) : parameters
  }

  /// Number of weights and biases in all layers.
  public var parameterCount: Int { Self.parameterCount(convolution: convolution, sizes: denseSizes) }

  /// Number of dense layers (hidden layers + the output layer).
  public var layerCount: Int { hidden.count + 1 }

  /// The first dense layer's input width: the convolutions' output, or the input itself.
  public var denseInputSize: Int { convolution?.outputSize ?? inputSize }

  /// Widths of the dense layers' input, hidden layers and output.
  var denseSizes: [Int] { [denseInputSize] + hidden + [outputSize] }

  /// Input and output width of dense layer `layer` (0 is the first hidden layer).
  public func layerShape(_ layer: Int) -> (inputs: Int, outputs: Int) {
    let sizes = denseSizes
    return (sizes[layer], sizes[layer + 1])
  }

  /// Index in `parameters` of the first weight of dense layer `layer` (after the convolutions').
  public func weightOffset(_ layer: Int) -> Int {
    var offset = convolution?.parameterCount ?? 0
    for l in 0..<layer {
      let s = layerShape(l)
      offset += (s.inputs + 1) * s.outputs
    }
    return offset
  }

  /// Index in `parameters` of the first bias of `layer`.
  public func biasOffset(_ layer: Int) -> Int {
    let s = layerShape(layer)
    return weightOffset(layer) + s.inputs * s.outputs
  }

  /// The weight matrix of `layer`, outputs × inputs (a copy).
  public func weight(layer: Int) -> Matrix {
    let s = layerShape(layer)
    let o = weightOffset(layer)
    return Matrix(
      rows: s.outputs, cols: s.inputs, values: Array(parameters[o..<o + s.inputs * s.outputs]))
  }

  /// The bias vector of `layer`, one per output (a copy).
  public func bias(layer: Int) -> [Float] {
    let o = biasOffset(layer)
    return Array(parameters[o..<o + layerShape(layer).outputs])
  }

  /// Adds `n` output classes: the existing output rows (weights and biases) are kept exactly, the
  /// new rows are drawn like the output layer's initialisation (Xavier-uniform, zero bias) and
  /// every hidden layer is untouched. Optimiser state must be started afresh afterwards.
  public mutating func addOutputs(_ n: Int, using rng: inout some RandomNumberGenerator) {
    precondition(n >= 0, "cannot add a negative number of outputs")
    guard n > 0 else { return }
    let last = layerCount - 1
    let inputs = layerShape(last).inputs
    let start = weightOffset(last)
    let old = Array(parameters[start...])  // weight (outputs × inputs) then bias (outputs)
    var fresh = [Float](repeating: 0, count: n * inputs)
    Self.xavier(&fresh, offset: 0, shape: (inputs, outputSize + n), using: &rng)
    var tail = Array(old[0..<outputSize * inputs])
    tail += fresh
    tail += old[(outputSize * inputs)...]
    tail += [Float](repeating: 0, count: n)
    parameters.removeLast(parameters.count - start)
    parameters += tail
    outputSize += n
  }

  /// Xavier-uniform weights of a `shape.outputs × shape.inputs` layer written at `offset`;
  /// fills as many values as fit after `offset` (all of a layer, or just new rows of one).
  private static func xavier(
    _ values: inout [Float], offset: Int, shape: (inputs: Int, outputs: Int),
    using rng: inout some RandomNumberGenerator
  ) {
    let limit = (6 / Double(shape.inputs + shape.outputs)).squareRoot()
    let count = min(shape.inputs * shape.outputs, values.count - offset)
    for i in 0..<count {
      values[offset + i] = Float(limit * (2 * rng.nextUnitDouble() - 1))
    }
  }

  static func parameterCount(convolution: FrameConvolution?, sizes: [Int]) -> Int {
    (convolution?.parameterCount ?? 0) + zip(sizes, sizes.dropFirst()).reduce(0) {
      $0 + ($1.0 + 1) * $1.1
    }
  }
}
