import HTTPServer

/// A failure that answers with a page of its own: thrown by a streamed body before its first byte, so that the server
/// sends this page instead of the head it held back.
struct PageError: HTTPResponseError {
    let page: HTTPResponse

    func response(for request: HTTPRequest?) -> HTTPResponse { page }
}
