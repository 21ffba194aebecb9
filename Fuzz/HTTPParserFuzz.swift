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
