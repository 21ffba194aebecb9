// libFuzzer entry point for the request parser and the chunked decoder.
// Built by scripts/fuzz.sh with `swiftc -sanitize=fuzzer,address` together with the parser's sources.

/// Parses `data` as a request head and then as a chunked body; checks invariants that must hold for any input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    var limits = HTTPLimits()
    limits.maximumRequestLineLength = 256
    limits.maximumHeaderBytes = 512
    limits.maximumHeaderCount = 16
    limits.maximumChunkExtensionLength = 64
    do {
        if case .complete(let request, let consumed) = try HTTPRequestParser.parse(bytes, limits: limits) {
            precondition(consumed > 0 && consumed <= count, "consumed \(consumed) of \(count)")
            precondition(!request.method.isEmpty && !request.target.isEmpty)
            precondition(request.headers.count <= limits.maximumHeaderCount)
            if case .length(let length) = request.framing { precondition(length > 0) }
            precondition(!(request.headers.contains("content-length") && request.headers.contains("transfer-encoding")))
            checkSplits(bytes, limits: limits, request: request, consumed: consumed)
        }
    } catch {
        precondition([400, 414, 417, 431, 501, 505].contains(error.status.code), "unexpected status \(error.status.code)")
    }
    var decoder = ChunkedDecoder(limits: limits)
    var offset = 0
    var decoded = 0
    while offset <= count {
        let rest = UnsafeBufferPointer(rebasing: bytes[offset...])
        guard let (consumed, event) = try? decoder.next(rest, maximumData: 7) else { break }
        precondition(consumed <= rest.count)
        offset += consumed
        switch event {
        case .data(let range):
            precondition(range.count <= 7 && range.upperBound <= rest.count && range.count == consumed)
            decoded += range.count
        case .end:
            precondition(decoder.isComplete && Int64(decoded) == decoder.decodedLength)
            return 0
        case .needMore:
            if consumed == 0 { return 0 }
        }
    }
    return 0
}

/// The head arrives in pieces (a read at a time, and across parking): the server parses what it has after each read.
/// Every prefix shorter than the head must be incomplete, never an error, and every longer one the same request;
/// so feeding a connection byte by byte or in any split gives the requests feeding it whole gives. The split points
/// come from the input itself (a few, so each input stays quick).
func checkSplits(_ bytes: UnsafeBufferPointer<UInt8>, limits: HTTPLimits, request: HTTPRequest, consumed: Int) {
    var points = [1, consumed - 1, consumed / 2, consumed]
    var seed = UInt32(bytes.count)
    for byte in bytes.prefix(16) { seed = seed &* 31 &+ UInt32(byte) }
    for _ in 0..<6 {
        seed = seed &* 1_103_515_245 &+ 12_345
        points.append(Int(seed >> 8) % (bytes.count + 1))
    }
    for point in points where point >= 0 && point <= bytes.count {
        let prefix = UnsafeBufferPointer(rebasing: bytes[0..<point])
        let outcome: HTTPRequestParser.Result
        do {
            outcome = try HTTPRequestParser.parse(prefix, limits: limits)
        } catch {
            preconditionFailure("a prefix of \(point) bytes of a valid head failed with \(error.status.code)")
        }
        switch outcome {
        case .incomplete:
            precondition(point < consumed, "\(point) bytes hold the whole \(consumed)-byte head, yet it is incomplete")
        case .complete(let again, let length):
            precondition(point >= consumed && length == consumed, "a prefix of \(point) bytes parsed as \(length), the whole as \(consumed)")
            precondition(
                again.method == request.method && again.target == request.target && again.headers == request.headers,
                "a prefix parsed as another request")
        }
    }
}
