import Foundation

/// The `__metadata__` string map of a model file, and the checks a loaded model must pass.
extension ModelMetadata {
  /// Largest layer width, layer count and label count accepted from a file: generous bounds
  /// that keep a forged header from asking for absurd allocations.
  static let maxWidth = 1 << 20
  static let maxHiddenLayers = 64

  /// The metadata as safetensors `__metadata__` strings (see `ModelFile`).
  func fields() throws -> [String: String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    func json(_ value: some Encodable) throws -> String {
      String(decoding: try encoder.encode(value), as: UTF8.self)
    }
    // Floats go out as the Double of the same value: Double's shortest text reads back exactly.
    var fields: [String: String] = [
      "format": "pt",
      "formatVersion": String(formatVersion),
      "labels": try json(labels),
      "featureConfig": featureConfig,
      "inputMean": try json(inputMean.map(Double.init)),
      "inputStd": try json(inputStd.map(Double.init)),
      "architecture": try json(architecture),
      "loss": loss.rawValue,
      "training": try json(training),
    ]
    if let threshold { fields["threshold"] = "\(Double(threshold))" }
    if let operatingPoint { fields["operatingPoint"] = operatingPoint }
    return fields
  }

  /// Metadata read back from `__metadata__` and validated (see `validate`).
  init(fields: [String: String], path: String) throws(ModelFileError) {
    func invalid(_ key: String, _ reason: String) -> ModelFileError {
      .invalidMetadata(path: path, key: key, reason: reason)
    }
    func field(_ key: String) throws(ModelFileError) -> String {
      guard let value = fields[key] else { throw invalid(key, "is missing") }
      return value
    }
    func json(_ key: String) throws(ModelFileError) -> JSONValue {
      let text = try field(key)
      do throws(JSONReadError) {
        return try JSONReader.parse(text)
      } catch {
        throw invalid(key, "is not valid JSON (\(error))")
      }
    }
    func strings(_ key: String) throws(ModelFileError) -> [String] {
      guard let elements = try json(key).arrayValue else {
        throw invalid(key, "is not a JSON array of strings")
      }
      var strings: [String] = []
      for element in elements {
        guard let text = element.stringValue else {
          throw invalid(key, "is not a JSON array of strings")
        }
        strings.append(text)
      }
      return strings
    }
    func numbers(_ key: String) throws(ModelFileError) -> [Float] {
      guard let elements = try json(key).arrayValue else {
        throw invalid(key, "is not a JSON array of numbers")
      }
      var numbers: [Float] = []
      numbers.reserveCapacity(elements.count)
      for element in elements {
        guard let value = element.doubleValue else {
          throw invalid(key, "is not a JSON array of numbers")
        }
        numbers.append(Float(value))
      }
      return numbers
    }
    func stringMap(_ key: String) throws(ModelFileError) -> [String: String] {
      guard let members = try json(key).objectValue else {
        throw invalid(key, "is not a JSON object of strings")
      }
      var map: [String: String] = [:]
      for (name, value) in members {
        guard let text = value.stringValue else {
          throw invalid(key, "is not a JSON object of strings")
        }
        map[name] = text
      }
      return map
    }
    guard !fields.isEmpty else {
      throw .malformed(path: path, reason: "no __metadata__: not a speechcmd model")
    }
    let versionText = try field("formatVersion")
    guard let version = Int(versionText) else { throw invalid("formatVersion", "is not a number") }
    guard (Self.currentFormatVersion...Self.convolutionFormatVersion).contains(version) else {
      throw .unsupportedVersion(path: path, version: versionText)
    }
    guard let loss = LossKind(rawValue: try field("loss")) else {
      throw invalid("loss", "must be \"ce\" or \"bce\"")
    }
    var threshold: Float?
    if let text = fields["threshold"] {
      guard let value = Float(text) else { throw invalid("threshold", "is not a number") }
      threshold = value
    }
    self.init(
      labels: try strings("labels"),
      featureConfig: try field("featureConfig"),
      inputMean: try numbers("inputMean"),
      inputStd: try numbers("inputStd"),
      architecture: try ModelArchitecture(json: json("architecture"), path: path),
      loss: loss, threshold: threshold, operatingPoint: fields["operatingPoint"],
      training: try stringMap("training"),
      formatVersion: version)
    try validate(path: path)
  }

  /// Checks the metadata is usable: sane architecture, one label per output, one mean and one
  /// finite positive deviation per input, finite threshold.
  func validate(path: String) throws(ModelFileError) {
    func invalid(_ key: String, _ reason: String) -> ModelFileError {
      .invalidMetadata(path: path, key: key, reason: reason)
    }
    let a = architecture
    let widths = [a.input] + a.hidden + [a.output]
    guard widths.allSatisfy({ $0 > 0 && $0 <= Self.maxWidth }),
      a.hidden.count <= Self.maxHiddenLayers
    else {
      throw invalid("architecture", "has layer sizes \(widths); each must be in 1…\(Self.maxWidth)")
    }
    guard a.dropout >= 0 && a.dropout < 1 else {
      throw invalid("architecture", "has dropout \(a.dropout); it must be in [0, 1)")
    }
    guard a.activation == "relu" else {
      throw invalid("architecture", "has activation '\(a.activation)'; only relu is supported")
    }
    if a.frameWidth != nil || a.convolutions != nil {
      guard let frameWidth = a.frameWidth, a.convolutions != nil, frameWidth > 0,
        a.input % frameWidth == 0, let convolution = a.convolution
      else {
        throw invalid(
          "architecture", "needs 'frameWidth' dividing the input and 'convolutions' together")
      }
      if let problem = convolution.problem { throw invalid("architecture", "convolutions: \(problem)") }
      guard convolution.outputSize <= Self.maxWidth else {
        throw invalid("architecture", "has convolutions whose output is over \(Self.maxWidth) wide")
      }
      guard formatVersion == Self.convolutionFormatVersion else {
        throw invalid("formatVersion", "must be \(Self.convolutionFormatVersion) for a model with convolutions")
      }
    } else if formatVersion != Self.currentFormatVersion {
      throw invalid("formatVersion", "must be \(Self.currentFormatVersion) for a model without convolutions")
    }
    guard labels.count == a.output else {
      throw invalid("labels", "has \(labels.count) labels for \(a.output) outputs")
    }
    for label in labels {
      if let problem = LabelName.problem(with: label) {
        throw invalid("labels", "has a label that \(problem): \(label.debugDescription.prefix(120))")
      }
    }
    if Set(labels).count != labels.count {
      let repeated = labels.first { label in labels.filter { $0 == label }.count > 1 }!
      throw invalid("labels", "names '\(repeated)' more than once")
    }
    guard inputMean.count == a.input else {
      throw invalid("inputMean", "has \(inputMean.count) values for \(a.input) inputs")
    }
    guard inputStd.count == a.input else {
      throw invalid("inputStd", "has \(inputStd.count) values for \(a.input) inputs")
    }
    if let bad = inputMean.firstIndex(where: { !$0.isFinite }) {
      throw invalid("inputMean", "holds \(inputMean[bad]) at index \(bad)")
    }
    // Normal numbers only: dividing by a subnormal deviation overflows to infinity.
    if let bad = inputStd.firstIndex(where: { !($0.isFinite && $0 >= Float.leastNormalMagnitude) })
    {
      throw invalid("inputStd", "holds \(inputStd[bad]) at index \(bad); deviations must be > 0")
    }
    if let threshold, !(threshold >= 0 && threshold <= 1) {
      throw invalid("threshold", "is \(threshold); it must lie in [0, 1]")
    }
  }
}

extension ModelArchitecture {
  /// The architecture from its JSON object (`{"input":…,"hidden":[…],"output":…,"dropout":…,
  /// "activation":…}`, the form `Codable` writes); sizes must be integers. The ranges are checked
  /// by `ModelMetadata.validate`.
  init(json: JSONValue, path: String) throws(ModelFileError) {
    func invalid(_ reason: String) -> ModelFileError {
      .invalidMetadata(path: path, key: "architecture", reason: reason)
    }
    guard let input = json["input"]?.intValue, let output = json["output"]?.intValue else {
      throw invalid("needs integer 'input' and 'output' sizes")
    }
    guard let elements = json["hidden"]?.arrayValue else {
      throw invalid("needs 'hidden': an array of integer widths")
    }
    var hidden: [Int] = []
    for element in elements {
      guard let width = element.intValue else {
        throw invalid("needs 'hidden': an array of integer widths")
      }
      hidden.append(width)
    }
    guard let dropout = json["dropout"]?.doubleValue else { throw invalid("needs a 'dropout' rate") }
    guard let activation = json["activation"]?.stringValue else {
      throw invalid("needs an 'activation' name")
    }
    self.init(
      input: input, hidden: hidden, output: output, dropout: Float(dropout), activation: activation)
    if let width = json["frameWidth"] {
      guard let value = width.intValue else { throw invalid("needs an integer 'frameWidth'") }
      frameWidth = value
    }
    if let layers = json["convolutions"] {
      guard let elements = layers.arrayValue else {
        throw invalid("needs 'convolutions': an array of layers")
      }
      convolutions = []
      for element in elements {
        guard let channels = element["channels"]?.intValue, let width = element["width"]?.intValue,
          let dilation = element["dilation"]?.intValue
        else {
          throw invalid("needs convolution layers with integer 'channels', 'width' and 'dilation'")
        }
        convolutions!.append(ConvolutionLayer(channels: channels, width: width, dilation: dilation))
      }
    }
  }
}
