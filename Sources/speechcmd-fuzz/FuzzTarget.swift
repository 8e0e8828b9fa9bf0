import Foundation
import HTTPHead
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
  /// `HeadScanner` and `ClosingHead`, `serve`'s gate: the first byte picks where the rest is cut
  /// into two pieces, which must give the same outcome as the whole; a complete head's rewrite
  /// must itself be a complete head with exactly one `Connection` header.
  case head

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
    case .head:
      Self.checkHead(Array(input))
    }
  }

  /// The gate's head reading on `input` (see `head`); a broken property stops with a message.
  private static func checkHead(_ input: [UInt8]) {
    guard let first = input.first else { return }
    let bytes = Array(input.dropFirst())
    let limits = HeadLimits(lineBytes: 64, headBytes: 256, seconds: 1)
    var whole = HeadScanner(limits: limits)
    let expected = whole.append(bytes)
    var pieces = HeadScanner(limits: limits)
    let cut = bytes.isEmpty ? 0 : Int(first) % (bytes.count + 1)
    var outcome = pieces.append(bytes[..<cut])
    if outcome == .incomplete { outcome = pieces.append(bytes[cut...]) }
    if outcome != expected {
      fail("head: \(outcome) in two pieces (cut at \(cut)) but \(expected) whole", status: 1)
    }
    guard case .complete(let length) = expected else { return }
    let rewritten = ClosingHead.closing(bytes[..<length])
    var again = HeadScanner(limits: HeadLimits(lineBytes: .max, headBytes: .max, seconds: 1))
    guard case .complete(rewritten.count) = again.append(rewritten) else {
      fail("head: the rewrite of a complete head is not one complete head", status: 1)
    }
    let lines = String(decoding: rewritten, as: UTF8.self).lowercased().split(separator: "\r\n")
    if lines.dropFirst().filter({ $0.hasPrefix("connection:") }).count != 1 {
      fail("head: the rewrite has no single Connection header", status: 1)
    }
  }

  /// Prints `message` to standard error and exits with `status`.
  static func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
  }
}
