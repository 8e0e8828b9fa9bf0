import Foundation
import SpeechCommands

/// The training request behind the page's Retrain button: `train --from CURRENT DATA` with
/// `train`'s own defaults (split, hyperparameters, seed), so the page trains exactly what the
/// command line would, and the model's validation accuracy is measured on `train`'s held-out
/// speakers.
enum RetrainJob {
  /// File name of the retrained model inside the data folder.
  static let modelName = "model.safetensors"
  /// Folder (hidden, so never listed as a word) for `metrics.json`, `curves.svg`, `confusion.svg`.
  static let reportName = ".report"

  /// The request retraining `from` on the recordings in `dataFolder`.
  static func request(from: String, dataFolder: String) -> TrainingJob {
    var job = TrainingJob(data: [.folder(dataFolder)], output: dataFolder + "/" + modelName)
    job.fromModel = from
    job.options = .retraining
    job.reportFolder = dataFolder + "/" + reportName
    return job
  }
}
