import Testing

extension Tag {
  /// Suites that train networks or run the built executable (minutes in a debug build); the
  /// README's testing section shows how to leave them out.
  @Tag static var slow: Self
}
