import Foundation
import SpeechCommands

/// Runs one retraining at a time on its own thread and reports its progress.
///
/// `start` refuses (409) while a job runs; the job decodes the recordings, trains from the served
/// model, writes the new model atomically into the data folder and switches the server to it.
/// A failed job leaves the old model serving and says why in `message`. Thread-safe.
final class TrainingRunner: @unchecked Sendable {
  /// What `GET /api/train` answers.
  struct Status: Codable, Equatable, Sendable {
    /// "idle", "running", "done" or "failed".
    var state = "idle"
    /// 1-based epoch now running or last finished (0 before the first).
    var epoch = 0
    /// Most epochs (early stopping may end sooner).
    var epochs = 0
    /// Validation accuracy (0–1) of the last finished epoch, if the split has validation clips.
    var validationAccuracy: Double?
    /// Training accuracy (0–1) of the epoch so far.
    var trainAccuracy: Double?
    /// Seconds until the last epoch would end.
    var secondsLeft: Double?
    /// What is happening, or why it failed, or the result.
    var message = ""
    /// Per-epoch accuracies so far, for the page's curves.
    var history: [EpochPoint] = []
    /// Report files (under `/api/train/report/`) once done: curves.svg, confusion.svg, metrics.json.
    var report: [String] = []
  }

  /// One finished epoch.
  struct EpochPoint: Codable, Equatable, Sendable {
    var epoch: Int
    var trainAccuracy: Double
    var validationAccuracy: Double?
  }

  private let lock = NSLock()
  private var status = Status()
  private let models: ModelStore
  private let recordings: RecordingStore

  init(models: ModelStore, recordings: RecordingStore) {
    self.models = models
    self.recordings = recordings
  }

  /// The job's progress.
  var current: Status { lock.withLock { status } }

  /// Takes a word the served model does not know needs before retraining may start: one take
  /// made a model (and the server switched to it) that had learned one voice saying it once.
  /// Takes of words the model knows (your own voice) help from the first (README).
  static let minimumNewWordTakes = 5

  /// Why retraining on `takes` (per word) cannot start, with the model knowing `known`: the
  /// first word (by name) that is new and has fewer than `minimumNewWordTakes` takes; nil if none.
  static func newWordShortOfTakes(_ takes: [String: Int], known: [String]) -> String? {
    let known = Set(known)
    let short = takes.filter { !known.contains($0.key) && $0.value < minimumNewWordTakes }
    guard let (word, count) = short.min(by: { $0.key < $1.key }) else { return nil }
    return "'\(word)' is a new word with \(count == 1 ? "1 take" : "\(count) takes"): record at "
      + "least \(minimumNewWordTakes) (about 15, by several people, for unseen voices) before "
      + "retraining"
  }

  /// Starts a job; 409 when one runs, 400 when there are no recordings or a new word has fewer
  /// than `minimumNewWordTakes` takes.
  func start() throws(APIError) -> Status {
    let words = recordings.list()
    if words.isEmpty {
      throw .badRequest("there are no recordings to train on (record some words first)")
    }
    if let problem = Self.newWordShortOfTakes(
      words.mapValues(\.count), known: models.current.classifier.labels)
    {
      throw .badRequest(problem)
    }
    let started = lock.withLock { () -> Status? in
      if status.state == "running" { return nil }
      status = Status(state: "running", message: "decoding recordings")
      return status
    }
    guard let started else { throw APIError(409, "a training job is already running") }
    let job = RetrainJob.request(from: models.current.path, dataFolder: recordings.folder)
    let thread = Thread { [self] in run(job) }
    thread.stackSize = 8 << 20
    thread.start()
    return started
  }

  /// The job itself, on the job's thread.
  private func run(_ job: TrainingJob) {
    do {
      let session = try TrainingSession(job) { note in update { $0.message = note } }
      let result = try session.run(observe: { event in self.observe(event) })
      try models.switchTo(path: result.output)
      let accuracy = result.metrics[.validation]?.accuracy
      update {
        $0.state = "done"
        $0.validationAccuracy = accuracy ?? $0.validationAccuracy
        $0.message =
          "trained \(result.history.count) epochs (\(result.stop.summary)); now serving "
          + PathName.lastComponent(of: result.output)
        $0.report = result.reportFiles.map { PathName.lastComponent(of: $0) }.sorted()
        $0.secondsLeft = 0
      }
    } catch {
      update {
        $0.state = "failed"
        $0.message = "\(error)"
      }
    }
  }

  private func observe(_ event: TrainingEvent) {
    update { s in
      switch event {
      case .status(let note):
        s.message = note
      case .started(let train, let validation, let epochs, _):
        s.epochs = epochs
        // A second `started` is the second training on every take (`RefitOnValidation`).
        s.message =
          s.history.isEmpty
          ? "training on \(train) clips, validating on \(validation)"
          : "training again on all \(train) clips, validation takes included"
      case .batch(let progress):
        s.epoch = progress.epoch
        s.epochs = progress.epochs
        s.trainAccuracy = progress.accuracy
        s.secondsLeft = progress.etaSeconds
      case .epoch(let record, _):
        s.epoch = record.epoch
        // The second training's epochs count again from 1 and have no validation figures: the
        // curve and the validation accuracy shown stay the first training's.
        if let last = s.history.last, record.epoch <= last.epoch { return }
        s.validationAccuracy = record.validationAccuracy
        s.history.append(
          EpochPoint(
            epoch: record.epoch, trainAccuracy: record.trainAccuracy,
            validationAccuracy: record.validationAccuracy))
      case .finished(let stop, _):
        s.message = stop.summary
      }
    }
  }

  private func update(_ change: (inout Status) -> Void) {
    lock.withLock { change(&status) }
  }
}
