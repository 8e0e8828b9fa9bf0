import FlyingFox
import Foundation

/// Reads request bodies without ever holding more than the upload limit.
enum BodyReader {
  /// The whole body of `request`, or 413 when it is (or, chunked, turns out to be) larger than
  /// `limit` bytes; an empty body is 400.
  static func read(_ request: HTTPRequest, limit: Int) async throws(APIError) -> Data {
    let tooLarge = APIError(413, "the upload is larger than \(limit) bytes (--max-upload-mb)")
    if let count = request.bodySequence.count, count > limit { throw tooLarge }
    var data = Data()
    do {
      for try await chunk in request.bodySequence {
        data.append(chunk)
        if data.count > limit { throw tooLarge }
      }
    } catch let error as APIError {
      throw error
    } catch {
      throw .badRequest("the upload could not be read (\(error))")
    }
    if data.isEmpty { throw .badRequest("the request has no body (send the audio file's bytes)") }
    return data
  }
}
