import Foundation

/// Where recordings come from: a `DATA/<label>/` folder or a CSV manifest.
public enum DataSource: Sendable, Hashable, CustomStringConvertible {
  /// A folder laid out as `DATA/<label>/<file>`.
  case folder(String)
  /// A CSV manifest `path,label[,split]`.
  case manifest(String)

  /// The folder or manifest path.
  public var path: String {
    switch self {
    case .folder(let p), .manifest(let p): return p
    }
  }

  public var description: String { path }

  /// Lists the recordings (no audio is decoded).
  public func listing(rule: HashSplitRule) throws(DatasetError) -> DatasetListing {
    switch self {
    case .folder(let p): return try DatasetListing.scanFolder(at: p, rule: rule)
    case .manifest(let p): return try DatasetListing.readManifest(at: p, rule: rule)
    }
  }
}
