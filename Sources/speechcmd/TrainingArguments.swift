import ArgumentParser
import SpeechCommands
import SpeechModel

extension LossKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}
extension ClassWeighting: ExpressibleByArgument {}
extension KeptEpoch: ExpressibleByArgument {}

/// The hyperparameter options of `speechcmd train` (defaults: `TrainingOptions()`).
struct TrainingArguments: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Hidden layer sizes, comma-separated (default 256; 0: none, a linear model).",
      valueName: "n,n,..."))
  var hidden: String?

  @Option(
    help: ArgumentHelp(
      "Convolutions over the feature frames before the hidden layers: CHANNELSxWIDTH[dDILATION] per layer, comma-separated, or 'none' for a plain MLP (default 64x5,64x3d2,64x3d4).",
      valueName: "spec"))
  var conv: String?

  @Option(help: "Dropout rate of the hidden layers (default 0.3).")
  var dropout: Float?

  @Option(
    help:
      "Epochs (default 120; 20 with --from, 40 with --from and --data or a model keeping a replay memory; --keep best --patience N may stop sooner)."
  )
  var epochs: Int?

  @Option(help: "Clips per optimiser step (default 64).")
  var batchSize: Int?

  @Option(name: .customLong("lr"), help: "Peak learning rate (default 0.001).")
  var learningRate: Float?

  @Option(help: "Optimiser: adam, adamw or sgd (default adam).")
  var optimizer: OptimizerKind?

  @Option(help: "Weight decay (default 0; 0.01 for adamw).")
  var weightDecay: Float?

  @Option(help: "SGD momentum (default 0.9, Nesterov).")
  var momentum: Float?

  @Option(help: "Learning-rate schedule: constant, step or cosine (default cosine).")
  var schedule: ScheduleKind?

  @Option(help: "Epochs of linear learning-rate warm-up (default 0).")
  var warmupEpochs: Int?

  @Option(help: "Step schedule: epochs between cuts (default 20).")
  var stepEpochs: Int?

  @Option(help: "Step schedule: factor per cut (default 0.1).")
  var stepFactor: Float?

  @Option(help: "Loss: ce (softmax cross-entropy) or bce (sigmoid one-vs-rest) (default ce).")
  var loss: LossKind?

  @Option(help: "Cross-entropy label smoothing in [0, 1) (default 0.1).")
  var labelSmoothing: Float?

  @Option(help: "Class weights: none, balanced or sqrt (default none; sqrt with --from).")
  var classWeights: ClassWeighting?

  @Option(help: "BCE positive weight: a number, or 'auto' for negatives/positives per class.")
  var posWeight: String?

  @Option(
    help:
      "Which epoch's weights to keep: last (the default) or best (best validation accuracy; with --from, best balanced accuracy over labels)."
  )
  var keep: KeptEpoch?

  @Option(
    help: "With --keep best: epochs without validation gain before stopping; 0 disables (default 0).")
  var patience: Int?

  @Option(name: .customLong("clip"), help: "Largest gradient norm, 0 to disable (default 5).")
  var gradientClip: Float?

  @Option(help: "Seed for initialisation, shuffling, dropout and augmentation (default 0).")
  var seed: UInt64?

  @Option(help: "Largest random time shift in seconds (default 0.1).")
  var timeShift: Double?

  @Option(help: "Probability of mixing in background noise (default 0.8).")
  var noiseProb: Double?

  @Option(help: "Largest background-noise volume (default 0.1).")
  var noiseVolume: Double?

  @Option(help: "Largest random gain in dB, either way (default 6; 0: off).")
  var gainDB: Double?

  @Option(
    help:
      "Largest relative speed change, e.g. 0.1 for ±10% (default 0.05; 0.3 with --from and --data or a model keeping a replay memory; 0: off)."
  )
  var speed: Double?

  @Option(
    help: ArgumentHelp(
      "Mix noise at a signal-to-noise ratio drawn from LOW:HIGH dB instead of --noise-volume.",
      valueName: "low:high"))
  var noiseSnr: String?

  @Option(help: "SpecAugment-style time masks per training clip (default 2; 0 with --from).")
  var timeMasks: Int?

  @Option(help: "Widest time mask in frames (default 8; 0 with --from).")
  var timeMaskFrames: Int?

  @Option(help: "SpecAugment-style frequency masks per training clip (default 2; 0 with --from).")
  var freqMasks: Int?

  @Option(help: "Widest frequency mask in coefficients (default 2; 0 with --from).")
  var freqMaskWidth: Int?

  @Option(help: "Mixup alpha: blend batches with lambda ~ Beta(alpha, alpha); 0: off (default 0).")
  var mixup: Double?

  @Option(help: "Keep an average of the weights with this decay per step, e.g. 0.995; 0: off.")
  var ema: Double?

  @Flag(help: "Train without augmentation.")
  var noAugment = false

  @Flag(
    help: "Keep the raw output probabilities (skip the temperature fitted on the validation split)."
  )
  var noCalibrate = false

  /// The options these arguments describe, on top of `base` (the defaults of a new model, or
  /// `TrainingOptions.retraining` with `--from`).
  func options(base: TrainingOptions = TrainingOptions()) throws -> TrainingOptions {
    var o = base
    if let hidden {
      // Every comma separates two sizes ("16,,16" is a typo, not two layers); `--hidden ""` is a
      // linear model (no hidden layer), as the library allows, but must be said as `--hidden 0`.
      let sizes =
        hidden == "0"
        ? []
        : hidden.split(separator: ",", omittingEmptySubsequences: false).map {
          Int($0.trimmingCharacters(in: .whitespaces))
        }
      guard !sizes.contains(nil) else {
        throw ValidationError("--hidden takes sizes like 256,256,256 (0: no hidden layer)")
      }
      o.hidden = sizes.map { $0! }
    }
    if let conv {
      if conv == "none" {
        o.convolution = nil
      } else {
        guard let layers = FrameConvolution.layers(parsing: conv) else {
          throw ValidationError("--conv takes layers like 64x5,64x3d2,64x3d4 (or 'none')")
        }
        o.convolution = layers
      }
    }
    if let dropout { o.dropout = dropout }
    if let epochs { o.epochs = epochs }
    if let batchSize { o.batchSize = batchSize }
    if let learningRate { o.learningRate = learningRate }
    if let optimizer { o.optimizer = optimizer }
    o.weightDecay = weightDecay
    if let momentum { o.momentum = momentum }
    if let schedule { o.schedule = schedule }
    if let warmupEpochs { o.warmupEpochs = warmupEpochs }
    if let stepEpochs { o.stepEpochs = stepEpochs }
    if let stepFactor { o.stepFactor = stepFactor }
    if let loss { o.loss = loss }
    if let labelSmoothing { o.labelSmoothing = labelSmoothing }
    if let classWeights { o.classWeighting = classWeights }
    if let posWeight {
      if posWeight == "auto" {
        o.autoPositiveWeight = true
      } else if let v = Float(posWeight) {
        o.positiveWeight = v
      } else {
        throw ValidationError("--pos-weight takes a number or 'auto'")
      }
    }
    if let keep { o.kept = keep }
    if let patience { o.patience = patience }
    if let gradientClip { o.gradientClip = gradientClip == 0 ? nil : gradientClip }
    if let seed { o.seed = seed }
    if noAugment { (o.augmentation, o.featureMasks) = (.none, FeatureMaskOptions()) }
    o.calibrate = !noCalibrate
    if let timeShift { o.augmentation.timeShiftSeconds = timeShift }
    if let noiseProb { o.augmentation.noiseProbability = noiseProb }
    if let noiseVolume { o.augmentation.noiseVolume = noiseVolume }
    if let gainDB { o.augmentation.gainDB = gainDB }
    if let speed { o.augmentation.speedPerturbation = speed }
    if let noiseSnr {
      let parts = noiseSnr.split(separator: ":").map { Double($0) }
      guard parts.count == 2, let low = parts[0], let high = parts[1] else {
        throw ValidationError("--noise-snr takes a range in dB like 0:20")
      }
      o.augmentation.noiseSNR = NoiseSNROptions(minimumDB: low, maximumDB: high)
    }
    if let timeMasks { o.featureMasks.timeMasks = timeMasks }
    if let timeMaskFrames { o.featureMasks.maxFrames = timeMaskFrames }
    if let freqMasks { o.featureMasks.frequencyMasks = freqMasks }
    if let freqMaskWidth { o.featureMasks.maxCoefficients = freqMaskWidth }
    if let mixup { o.mixupAlpha = mixup }
    if let ema { o.weightAverageDecay = ema == 0 ? nil : ema }
    return o
  }
}
