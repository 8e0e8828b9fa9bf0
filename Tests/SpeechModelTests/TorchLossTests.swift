import Foundation
import Testing

@testable import SpeechModel

/// One case of the PyTorch reference file, with nested arrays flattened row-major.
struct TorchLossCase: Sendable, CustomTestStringConvertible {
  var name: String
  var function: String
  var isFloat32: Bool
  var input: [Double]
  var classes: Int
  var classIndices: [Int]?
  var probabilities: [Double]?
  var options: [String: any Sendable]
  var loss: [Double]
  var gradient: [Double]

  var testDescription: String { name }

  static let all: [TorchLossCase] = {
    let url = Bundle.module.url(
      forResource: "torch-losses", withExtension: "json", subdirectory: "Resources")!
    let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    return (root["cases"] as! [[String: Any]]).map(TorchLossCase.init)
  }()

  init(_ json: [String: Any]) {
    name = json["name"] as! String
    function = json["fn"] as! String
    isFloat32 = (json["dtype"] as! String) == "float32"
    let shape = Self.shape(json["input"]!)
    classes = shape.last!
    input = Self.flatten(json["input"]!)
    let target = json["target"]!
    if function == "cross_entropy", (json["target_kind"] as? String) == "class_index" {
      classIndices =
        target is [Any]
        ? (target as! [Any]).map { ($0 as! NSNumber).intValue } : [(target as! NSNumber).intValue]
    } else {
      probabilities = Self.flatten(target)
    }
    var options: [String: any Sendable] = [:]
    for (key, value) in json["options"] as! [String: Any] {
      switch value {
      case let s as String: options[key] = s
      case let a as [Any]: options[key] = Self.flatten(a)
      case let n as NSNumber: options[key] = n.doubleValue
      default: break
      }
    }
    self.options = options
    loss = Self.flatten(json["loss"]!)
    gradient = Self.flatten(json["grad"]!)
  }

  static func shape(_ value: Any) -> [Int] {
    guard let array = value as? [Any] else { return [] }
    return [array.count] + shape(array[0])
  }

  static func flatten(_ value: Any) -> [Double] {
    switch value {
    case let array as [Any]: return array.flatMap(flatten)
    case let s as String: return [Double(s.replacingOccurrences(of: "inf", with: "infinity"))!]
    case let n as NSNumber: return [n.doubleValue]
    default: fatalError("unexpected JSON value \(value)")
    }
  }

  var reduction: Reduction { Reduction(rawValue: options["reduction"] as! String)! }
  func list(_ key: String) -> [Double]? { options[key] as? [Double] }
}

@Suite struct TorchLossTests {
  @Test func fixtureHoldsAllSeventyCases() {
    #expect(TorchLossCase.all.count == 70)
  }

  /// Values and gradients of every reference case, in Double for float64 cases (relative 1e-5)
  /// and in Float for float32 cases (relative 1e-4).
  @Test(arguments: TorchLossCase.all)
  func matchesPyTorch(_ c: TorchLossCase) throws {
    if c.isFloat32 {
      let result = evaluate(c, as: Float.self)
      check(
        c, value: Double(result.value), elementwise: result.elementwise.map(Double.init),
        gradient: result.gradient.map(Double.init), relative: 1e-4, absolute: 1e-6)
    } else {
      let result = evaluate(c, as: Double.self)
      check(
        c, value: result.value, elementwise: result.elementwise, gradient: result.gradient,
        relative: 1e-5, absolute: 1e-12)
    }
  }

  func evaluate<T: LossFloat>(_ c: TorchLossCase, as: T.Type) -> LossResult<T> {
    let logits = c.input.map { T($0) }
    func convert(_ v: [Double]?) -> [T]? { v.map { $0.map { T($0) } } }
    if c.function == "cross_entropy" {
      let loss = CrossEntropyLoss<T>(
        classWeights: convert(c.list("weight")),
        ignoreIndex: Int(c.options["ignore_index"] as? Double ?? -100),
        labelSmoothing: T(c.options["label_smoothing"] as? Double ?? 0), reduction: c.reduction)
      if let indices = c.classIndices {
        return loss.evaluate(logits: logits, classes: c.classes, targets: indices)
      }
      return loss.evaluate(
        logits: logits, classes: c.classes, probabilities: convert(c.probabilities)!)
    }
    let loss = BinaryCrossEntropyLoss<T>(
      weights: convert(c.list("weight")), positiveWeights: convert(c.list("pos_weight")),
      reduction: c.reduction)
    return loss.evaluate(logits: logits, classes: c.classes, targets: convert(c.probabilities)!)
  }

  func check(
    _ c: TorchLossCase, value: Double, elementwise: [Double], gradient: [Double],
    relative: Double, absolute: Double
  ) {
    func close(_ a: Double, _ b: Double) -> Bool {
      if b.isNaN { return a.isNaN }
      return abs(a - b) <= relative * abs(b) + absolute
    }
    let losses = c.reduction == .none ? elementwise : [value]
    #expect(losses.count == c.loss.count, "\(c.name): loss count")
    for (i, (a, b)) in zip(losses, c.loss).enumerated() {
      #expect(close(a, b), "\(c.name): loss[\(i)] \(a) vs PyTorch \(b)")
    }
    #expect(gradient.count == c.gradient.count, "\(c.name): gradient count")
    for (i, (a, b)) in zip(gradient, c.gradient).enumerated() {
      #expect(close(a, b), "\(c.name): grad[\(i)] \(a) vs PyTorch \(b)")
    }
  }
}
