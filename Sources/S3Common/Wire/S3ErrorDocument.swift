/// `<Error><Code>…</Code><Message>…</Message>…</Error>`: every S3 refusal.
public struct S3ErrorDocument: XMLBody, Hashable {
    public static let rootName = "Error"
    public var code: String
    public var message: String
    /// Further elements in order (`Resource`, `RequestId`, `StringToSign`, `HeadersNotSigned`, `Key`, …).
    public var details: [(name: String, value: String)]

    public init(code: String, message: String, details: [(name: String, value: String)] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public init(xml: XMLTree) throws(XMLBodyError) {
        code = try xml.required("Code")
        message = xml.text(of: "Message") ?? ""
        details = xml.children.filter { $0.name != "Code" && $0.name != "Message" }.map { ($0.name, $0.text) }
    }

    public var xml: XMLTree {
        XMLTree(Self.rootName, children: [.leaf("Code", code), .leaf("Message", message)] + details.map { XMLTree.leaf($0.name, $0.value) })
    }

    /// The value of a detail element.
    public func detail(_ name: String) -> String? { details.first { $0.name == name }?.value }

    public static func == (a: Self, b: Self) -> Bool { a.xml == b.xml }
    public func hash(into hasher: inout Hasher) { hasher.combine(xml) }
}
