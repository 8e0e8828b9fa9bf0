import Foundation
import SpeechAudio
import SpeechCommands
import SpeechModel

/// The parsers of untrusted input that `speechcmd-fuzz` exercises. Each takes the raw bytes of one
/// input and must return (accepting it or throwing a typed error) without crashing, hanging or
/// allocating without bound; libFuzzer with AddressSanitizer reports anything else.
enum FuzzTarget: String, CaseIterable {
  /// `ModelFile(decoding:)` (safetensors container, metadata, tensors), then `Classifier`, which
  /// builds the front end from the feature configuration stored in the file.
  case model
  /// `DatasetListing.parseManifest` (CSV with a path,label[,split] header).
  case manifest
  /// `TruthFile.parse` (label,time CSV).
  case truth
  /// `AudioFile.read(bytes:name:)`: libsndfile's decoders through virtual I/O, downmixing and
  /// resampling to 16 kHz.
  case audio

  /// The target names, for usage messages.
  static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

  /// Runs one input through the parser; errors are the expected outcome for most inputs.
  func run(_ input: UnsafeBufferPointer<UInt8>) {
    switch self {
    case .model:
      if let model = try? ModelFile(decoding: Data(input), path: "fuzz.safetensors") {
        _ = try? Classifier(model: model, path: "fuzz.safetensors")
      }
    case .manifest:
      _ = try? DatasetListing.parseManifest(
        String(decoding: input, as: UTF8.self), path: "/fuzz/manifest.csv")
    case .truth:
      _ = try? TruthFile.parse(String(decoding: input, as: UTF8.self), path: "fuzz.csv")
    case .audio:
      _ = try? AudioFile.read(bytes: Array(input), name: "fuzz.wav")
    }
  }

  /// Prints `message` to standard error and exits with `status`.
  static func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
  }
}
