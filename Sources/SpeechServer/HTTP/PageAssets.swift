import Foundation

/// The web page's files, bundled with the program (SwiftPM resources under `Page/`), so the page
/// works offline and never loads anything from another site.
struct PageAssets: Sendable {
  /// URL path → (content type, bytes).
  let files: [String: (type: String, bytes: Data)]

  /// The files served, by URL path.
  static let names: [String: (file: String, type: String)] = [
    "/": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/capture-worklet.js": ("capture-worklet.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
  ]

  /// Reads every asset from the bundle; throws naming the first one missing.
  static func load() throws(APIError) -> PageAssets {
    var files: [String: (type: String, bytes: Data)] = [:]
    for (path, entry) in names {
      let stem = (entry.file as NSString).deletingPathExtension
      let ext = (entry.file as NSString).pathExtension
      guard
        let url = Bundle.module.url(forResource: stem, withExtension: ext, subdirectory: "Page"),
        let bytes = try? Data(contentsOf: url)
      else { throw APIError(500, "the page asset \(entry.file) is missing from the installation") }
      files[path] = (entry.type, bytes)
    }
    return PageAssets(files: files)
  }
}
