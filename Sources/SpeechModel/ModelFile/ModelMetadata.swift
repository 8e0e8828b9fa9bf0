/// The shape of an `MLP` as recorded in a model file.
public struct ModelArchitecture: Codable, Sendable, Equatable {
  /// Features per input sample.
  public var input: Int
  /// Hidden layer widths, first to last.
  public var hidden: [Int]
  /// Outputs (classes).
  public var output: Int
  /// Training dropout rate of the hidden layers (not used at inference).
  public var dropout: Float
  /// Hidden activation; always "relu" in this format version.
  public var activation: String
  /// Values per input frame the convolutions read, and the convolution layers, first to last;
  /// both nil for a plain MLP (such files keep format version 1: `ModelFile`).
  public var frameWidth: Int?
  public var convolutions: [ConvolutionLayer]?

  /// An architecture with the given sizes.
  public init(
    input: Int, hidden: [Int], output: Int, dropout: Float = 0, activation: String = "relu"
  ) {
    self.input = input
    self.hidden = hidden
    self.output = output
    self.dropout = dropout
    self.activation = activation
  }

  /// The architecture of `network`.
  public init(_ network: MLP) {
    self.init(
      input: network.inputSize, hidden: network.hidden, output: network.outputSize,
      dropout: network.dropout)
    frameWidth = network.convolution?.frameWidth
    convolutions = network.convolution?.layers
  }

  /// The convolution these fields describe, or nil for a plain MLP.
  public var convolution: FrameConvolution? {
    guard let frameWidth, let convolutions, frameWidth > 0 else { return nil }
    return FrameConvolution(frameWidth: frameWidth, frames: input / frameWidth, layers: convolutions)
  }

  /// Widths of the dense layers' input (the convolutions' output, or the input), hidden layers
  /// and output.
  public var denseWidths: [Int] { [convolution?.outputSize ?? input] + hidden + [output] }
}

/// Everything a model file records besides the weights: enough to turn audio into the network's
/// input exactly as in training, and to interpret its outputs.
public struct ModelMetadata: Codable, Sendable, Equatable {
  /// The format version this build writes for a plain MLP (and the oldest it reads).
  public static let currentFormatVersion = 1
  /// The format version of a model with convolutions (version 1 plus `conv.*` tensors and the
  /// architecture's `frameWidth` and `convolutions`): builds from before them refuse such a file
  /// by its version instead of misreading it. The newest this build reads.
  public static let convolutionFormatVersion = 2

  /// Format version of the file (`currentFormatVersion` when written by this build).
  public var formatVersion: Int
  /// Class names, one per network output, in output order.
  public var labels: [String]
  /// The feature extraction configuration as JSON; opaque here (owned by SpeechCommands).
  public var featureConfig: String
  /// Per-feature mean subtracted from the input before the network (inputSize values).
  public var inputMean: [Float]
  /// Per-feature standard deviation the input is divided by (inputSize values, all > 0).
  public var inputStd: [Float]
  /// The network's shape; `ModelFile` keeps it equal to its network's.
  public var architecture: ModelArchitecture
  /// How the outputs are read: softmax (cross-entropy) or per-class sigmoid (binary).
  public var loss: LossKind
  /// Decision threshold on the winning probability (below it: "unknown"), if one was tuned.
  public var threshold: Float?
  /// The streaming detector's settings fitted by training (JSON; opaque here, owned by
  /// SpeechCommands' `OperatingPoint`), or nil for models without one.
  public var operatingPoint: String?
  /// Free-form training summary: data, epochs, accuracy, date, seed… (strings, for people).
  public var training: [String: String]

  /// Metadata with the current format version.
  public init(
    labels: [String], featureConfig: String = "{}", inputMean: [Float], inputStd: [Float],
    architecture: ModelArchitecture, loss: LossKind = .crossEntropy, threshold: Float? = nil,
    operatingPoint: String? = nil, training: [String: String] = [:], formatVersion: Int = ModelMetadata.currentFormatVersion
  ) {
    self.formatVersion = formatVersion
    self.labels = labels
    self.featureConfig = featureConfig
    self.inputMean = inputMean
    self.inputStd = inputStd
    self.architecture = architecture
    self.loss = loss
    self.threshold = threshold
    self.operatingPoint = operatingPoint
    self.training = training
  }
}
