import Foundation
import SpeechCommands
import SpeechModel
import SpeechTestSupport
import Testing

/// `ModelCard`, `OperatingPoint` in model files and `SplitBalance`.
@Suite struct ModelCardTests {
  /// A tiny untrained model over the synthetic words' front end, with a training summary as
  /// `train` writes it and an optional operating point.
  static func model(operatingPoint: OperatingPoint? = nil) throws -> ModelFile {
    let config = SyntheticWords.frontEndConfig
    let inputs = try FrontEnd(config: config).inputSize
    var rng = SeededGenerator(seed: 3)
    let network = MLP(
      inputSize: inputs, hidden: [7, 5], outputSize: SyntheticWords.labels.count, using: &rng)
    let metadata = ModelMetadata(
      labels: SyntheticWords.labels, featureConfig: try config.jsonString(),
      inputMean: [Float](repeating: 0, count: inputs),
      inputStd: [Float](repeating: 1, count: inputs), architecture: ModelArchitecture(network),
      threshold: nil, operatingPoint: try operatingPoint?.jsonString(),
      training: [
        "data": "a, b.csv", "clips": "train 100, validation 20, test 0", "epochs": "12",
        "bestEpoch": "9", "accuracy": "0.8125", "trainAccuracy": "0.9500",
        "logitScale": "1.2500", "seed": "4", "words": "low,high",
      ])
    return ModelFile(network: network, metadata: metadata)
  }

  @Test func describesWhatTheFileRecords() throws {
    let card = try ModelCard(model: Self.model(), path: "m.safetensors", fileBytes: 1234)
    #expect(card.labels == SyntheticWords.labels)
    #expect(card.commandWords == SyntheticWords.words)
    // 13 coefficients × 50 frames (8 kHz, 200-sample frames every 160 over 8000 samples, the
    // tail padded: 1 + ⌈(8000 − 200) / 160⌉ = 50).
    #expect(card.frontEnd.coefficientsPerFrame == 13 && card.frontEnd.frames == 50)
    #expect(card.frontEnd.inputSize == 650 && card.frontEnd.preset == nil)
    #expect(card.frontEnd.melBands == 20 && card.frontEnd.melRange == [20, 3900])
    // (650 + 1) × 7 + (7 + 1) × 5 + (5 + 1) × 5 weights and biases.
    #expect(card.network.parameters == 651 * 7 + 8 * 5 + 6 * 5)
    #expect(card.network.hidden == [7, 5] && card.loss == "ce")
    #expect(card.data.sources == ["a", "b.csv"])
    #expect(card.data.clips == ["train": 100, "validation": 20, "test": 0])
    #expect(card.data.words == ["low", "high"] && card.data.bestEpoch == 9)
    #expect(card.accuracy == ["validation": 0.8125, "train": 0.95])
    #expect(card.logitScale == 1.25 && card.threshold == nil && card.operatingPoint == nil)
  }

  @Test func theOperatingPointSurvivesTheFileAndSetsTheThreshold() throws {
    let point = OperatingPoint(
      threshold: 0.55, averageWindowMs: 400, suppressionMs: 1000, minimumCount: 4,
      fit: OperatingPointFit(
        words: 50, nonCommandWords: 80, right: 0.8, wrong: 0.04, spurious: 0.02,
        falseAcceptsPerWord: 0.0125))
    let folder = try TemporaryFolder()
    let path = folder.file("m.safetensors")
    try Self.model(operatingPoint: point).save(to: path)
    let card = try ModelCard.load(at: path)
    #expect(card.operatingPoint == point)
    #expect(card.threshold == 0.55)
    #expect(
      card.fileBytes == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))
    #expect(try Classifier(modelAt: path).operatingPoint == point)
    // The JSON form decodes back to the same card.
    let decoded = try JSONDecoder().decode(ModelCard.self, from: Data(card.jsonString().utf8))
    #expect(decoded == card)
  }

  @Test func theOperatingPointOverridesOnlyTheSettingsItHolds() {
    var base = ScoreSmoother.Options()
    base.repeatAfterQuiet = false
    let applied = OperatingPoint(threshold: 0.4, averageWindowMs: 300, suppressionMs: 900)
      .applied(to: base)
    #expect(applied.detectionThreshold == 0.4 && applied.averageWindowMs == 300)
    #expect(applied.suppressionMs == 900 && applied.minimumCount == 3)
    #expect(applied.repeatAfterQuiet == false)
  }

  @Test(arguments: [
    #"{"threshold":1.5,"averageWindowMs":500,"suppressionMs":1500,"minimumCount":3}"#,
    #"{"threshold":0.5,"averageWindowMs":-1,"suppressionMs":1500,"minimumCount":3}"#,
    #"{"threshold":0.5,"averageWindowMs":500,"suppressionMs":1500,"minimumCount":0}"#,
    #"{"threshold":"high"}"#, "not json",
  ])
  func aDamagedOperatingPointIsIgnored(json: String) {
    #expect(OperatingPoint(jsonString: json) == nil)
  }

  /// An edited file recording `nan` as its accuracy: the card leaves the figure out, and its
  /// JSON (which has no NaN) is still written.
  @Test func aRecordedFigureThatIsNotANumberIsLeftOut() throws {
    var model = try Self.model()
    model.metadata.training["accuracy"] = "nan"
    model.metadata.training["logitScale"] = "inf"
    let card = try ModelCard(model: model, path: "m.safetensors")
    #expect(card.accuracy == ["train": 0.95])
    #expect(card.logitScale == nil)
    #expect(try card.jsonString().contains("\"accuracy\":{\"train\":0.95}"))
  }

  @Test func lopsidedSplitsAreRecognised() {
    // Speech Commands' own hash rule on its test partition (speech-commands-dev).
    let speechCommands = SplitBalance(train: 327, validation: 49, test: 2362)
    #expect(speechCommands.trainingIsMinority)
    #expect(speechCommands.isLopsided(validationExpected: true))
    #expect(
      speechCommands.summary
        == "train 327 (12%), validation 49 (2%), test 2362 (86%) of 2738 clips")
    let usual = SplitBalance(train: 80, validation: 10, test: 10)
    #expect(!usual.isLopsided(validationExpected: true))
    let noValidation = SplitBalance(train: 90, validation: 0, test: 10)
    #expect(noValidation.isLopsided(validationExpected: true))
    #expect(!noValidation.isLopsided(validationExpected: false))
  }
}
