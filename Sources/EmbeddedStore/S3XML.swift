import S3Common

/// Builds and reads the small XML documents of the S3 API (through ``XMLTree``).
enum S3XML {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// A node of a document being built: an element with text or children.
    indirect enum Node {
        case text(String, String)
        case element(String, [Node])

        var tree: XMLTree {
            switch self {
            case .text(let name, let value): .leaf(name, value)
            case .element(let name, let children): XMLTree(name, children: children.map(\.tree))
            }
        }
    }

    /// `<?xml …?><Root><Name>value</Name>…</Root>` for flat documents such as errors.
    static func document(_ root: String, _ elements: [(String, String)], namespaced: Bool = false) -> String {
        document(root, elements.map { Node.text($0.0, $0.1) }, namespaced: namespaced)
    }

    /// A document with nested elements.
    static func document(_ root: String, _ children: [Node], namespaced: Bool = true) -> String {
        XMLTree(root, children: children.map(\.tree)).document(namespace: namespaced ? namespace : nil)
    }

    /// A document whose root holds only text: `<LocationConstraint>eu-west-1</LocationConstraint>`.
    static func document(_ root: String, text: String) -> String {
        XMLTree(root, text: text).document(namespace: namespace)
    }

    /// Parses a request body; throws MalformedXML.
    static func parse(_ bytes: [UInt8]) throws -> XMLTree {
        guard let tree = XMLTree.parse(bytes) else {
            throw S3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", status: 400)
        }
        return tree
    }
}
