import SpeechModel

/// The second training of a model: from the same start (from scratch, or from the old model
/// when retraining), with the same options and seed, on the training and validation clips
/// together.
///
/// The validation split has done its work once the first network is trained: it measured the
/// network, fitted the calibration temperature and `listen`'s operating point. Its clips are
/// then worth more as training voices: on speech-commands-dev a tenth fewer training speakers
/// cost 3.4 points on unseen ones (validation folds of `scripts/tune-accuracy.sh`). The refit
/// network keeps the first one's temperature, folded into its output layer, and the first one's
/// figures on validation stand for it (`TrainingSession`).
///
/// It runs beside the first training (`begin`, on its own thread: `BackgroundTraining`), since it
/// starts from the same point and needs only the first network's temperature, folded in at the
/// end (`finish`).
struct RefitOnValidation {
  /// The trainer of the refit: the first run's, with every validation clip moved to training.
  let trainer: Trainer

  init(trainer first: Trainer) {
    var data = first.dataset
    for i in data.examples.indices where data.examples[i].split == .validation {
      data.examples[i].split = .train
    }
    var trainer = first
    trainer.dataset = data
    self.trainer = trainer
  }

  /// Starts the refit on its own thread.
  func begin(start: TrainingStart) -> BackgroundTraining {
    BackgroundTraining(trainer: trainer, start: start)
  }

  /// Waits for `running` to end (`observe` sees its epochs, after a status line; `shouldStop`
  /// interrupts it) and folds the first network's temperature, `logitScale`, into it. Its
  /// `stop` says whether it completed.
  func finish(
    _ running: BackgroundTraining, logitScale: Float, observe: (TrainingEvent) -> Void,
    shouldStop: () -> Bool
  ) throws(DatasetError) -> TrainedNetwork {
    observe(
      .status(
        "training again on the training and validation clips together "
          + "(\(trainer.dataset.indices(in: .train).count)), keeping what was fitted on "
          + "validation (it ran beside the first training)"))
    var outcome = try running.finish(observe: observe, shouldStop: shouldStop)
    if var network = outcome.network, logitScale != 1 {
      network.scaleLogits(by: logitScale)
      outcome.network = network
      outcome.logitScale = logitScale
    }
    return outcome
  }
}
