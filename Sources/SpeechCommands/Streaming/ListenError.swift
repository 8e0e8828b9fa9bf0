/// Why the live input of `ListenInputLoop` could not be read.
public enum ListenError: Error, Equatable, CustomStringConvertible {
  /// Reading raw PCM from the file descriptor (standard input) failed; `reason` is the system's.
  case inputUnreadable(reason: String)
  /// Standard input holds something `listen -` does not read (another container, another sample
  /// format, a rate that disagrees with `--rate`); the text says what and what to do instead.
  case unsupportedInput(String)

  public var description: String {
    switch self {
    case .inputUnreadable(let reason): "cannot read standard input: \(reason)"
    case .unsupportedInput(let text): text
    }
  }
}
