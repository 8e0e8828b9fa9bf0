import Foundation

/// Path-name arithmetic on text that comes from users and files (manifests, folder listings,
/// uploads), in plain Swift.
///
/// Why not `NSString`'s path methods: on Linux, swift-corelibs-foundation's `lastPathComponent`
/// traps on a doubled slash before a non-ASCII character (`"takes//café.wav"`, which
/// `--data takes/` produces), found by fuzzing the manifest reader. These functions never trap and
/// follow NSString's rules where they agree: repeated slashes count as one, a trailing slash is
/// ignored, and a name starting with a dot has no extension.
public enum PathName {
  /// The last component: `"a/b/c.wav"` → `"c.wav"`, `"a/b/"` → `"b"`, `"/"` → `"/"`, `""` → `""`.
  public static func lastComponent(of path: String) -> String {
    guard let last = path.split(separator: "/").last else { return path.hasPrefix("/") ? "/" : "" }
    return String(last)
  }

  /// The path without its last component: `"a/b/c.wav"` → `"a/b"`, `"/a"` → `"/"`, `"a"` → `""`.
  public static func parent(of path: String) -> String {
    let parts = path.split(separator: "/").dropLast()
    let root = path.hasPrefix("/") ? "/" : ""
    return root + parts.joined(separator: "/")
  }

  /// What identifies the file at `path` when listings are compared: the path made absolute,
  /// with `.`, `..`, doubled slashes and symbolic links resolved, as bytes. Bytes, because two
  /// names that differ only in Unicode normalisation (NFC "é" and NFD "e" + U+0301) are equal
  /// Swift strings but two files on Linux.
  public static func identity(of path: String) -> [UInt8] {
    Array(URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path.utf8)
  }

  /// The extension of the last component without the dot, as written: `"a/b.WAV"` → `"WAV"`,
  /// `"a/.hidden"` → `""`, `"a/b"` → `""`.
  public static func fileExtension(of path: String) -> String {
    let name = lastComponent(of: path)
    guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
    return String(name[name.index(after: dot)...])
  }
}
