import DropgateAPI

/// What the tests read of a plan, whichever way it sends the bytes (nil where that way has no such thing).
extension UploadPlan {
    var url: String? {
        switch send {
        case .put(let url, _), .post(let url, _): url
        case .multipart: nil
        }
    }

    var headers: [String: String]? {
        guard case .put(_, let headers) = send else { return nil }
        return headers
    }

    var fields: [String: String]? {
        guard case .post(_, let fields) = send else { return nil }
        return fields
    }

    var multipart: MultipartPlan? {
        guard case .multipart(let plan) = send else { return nil }
        return plan
    }
}
