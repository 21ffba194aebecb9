import S3Common

/// Reads the S3 API's request bodies for the store, refusing what is not the expected document.
enum S3XML {
    /// Parses a request body as `Body`; anything else is S3's `MalformedXML`.
    static func read<Body: XMLBody>(_ type: Body.Type, _ bytes: [UInt8]) throws -> Body {
        try malformedIfRefused { () throws(XMLBodyError) in try Body(bytes: bytes) }
    }

    /// Reads an already parsed body as `Body`; anything else is S3's `MalformedXML`.
    static func read<Body: XMLBody>(_ type: Body.Type, tree: XMLTree) throws -> Body {
        try malformedIfRefused { () throws(XMLBodyError) in try Body(xml: tree) }
    }

    private static func malformedIfRefused<Body>(_ read: () throws(XMLBodyError) -> Body) throws -> Body {
        do {
            return try read()
        } catch {
            throw S3Error(
                .malformedXML, "The XML you provided was not well-formed or did not validate against our published schema: \(error.message)",
                status: 400)
        }
    }
}
