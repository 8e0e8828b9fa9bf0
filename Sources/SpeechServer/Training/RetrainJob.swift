import Foundation
import SpeechCommands

/// The training request behind the page's Retrain button: `train --from CURRENT DATA` with
/// `train --from`'s own defaults (`RetrainingDefaults`, seed 0), so the page trains
/// exactly what the command line would. Validation stays honest with a few takes of one speaker:
/// retraining's `FewTakeSplit` keeps about 10% of each new word's takes (at least 2, whole
/// speakers when there are three or more) out of training to measure it on.
enum RetrainJob {
  /// File name of the retrained model inside the data folder.
  static let modelName = "model.safetensors"
  /// Folder (hidden, so never listed as a word) for `metrics.json`, `curves.svg`, `confusion.svg`.
  static let reportName = ".report"

  /// The request retraining `from` on the recordings in `dataFolder`.
  static func request(from: String, dataFolder: String) -> TrainingJob {
    var job = TrainingJob(data: [.folder(dataFolder)], output: dataFolder + "/" + modelName)
    job.fromModel = from
    let defaults = RetrainingDefaults(
      model: from, data: job.data, mixesOldData: false, memoryRows: job.memoryRows)
    job.options = defaults.options
    job.retraining = defaults.retraining
    job.reportFolder = dataFolder + "/" + reportName
    return job
  }
}
