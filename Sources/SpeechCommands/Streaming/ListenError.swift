/// Why the live input of `ListenInputLoop` could not be read.
public enum ListenError: Error, Equatable, CustomStringConvertible {
  /// Reading raw PCM from the file descriptor (standard input) failed; `reason` is the system's.
  case inputUnreadable(reason: String)

  public var description: String {
    switch self {
    case .inputUnreadable(let reason): "cannot read standard input: \(reason)"
    }
  }
}
