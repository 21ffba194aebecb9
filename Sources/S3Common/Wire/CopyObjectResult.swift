import HTTPWire

/// `<CopyObjectResult>`: the answer to CopyObject (an `<Error>` may come with 200 instead).
public struct CopyObjectResult: XMLBody, Hashable {
    public static let rootName = "CopyObjectResult"
    /// Unquoted.
    public var etag: String
    public var lastModified: String

    public init(etag: String, lastModified: String) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        etag = ASCIIText.unquoted(xml.text(of: "ETag") ?? "")
        lastModified = xml.text(of: "LastModified") ?? ""
    }

    public var xml: XMLTree { XMLTree(Self.rootName, children: [.leaf("LastModified", lastModified), .leaf("ETag", "\"\(etag)\"")]) }
}
