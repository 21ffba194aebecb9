import Foundation
import FoundationXML

/// A small XML document as plain Swift values: what the S3 API's bodies are.
///
/// Parsing is one pass of Foundation's SAX `XMLParser` into values (no DOM, no lock: 8 threads × 50
/// concurrent parses of a 1000-entry listing ran clean, where `XMLDocument` had crashed). Writing needs no
/// XML library: elements and escaped text are appended to a byte buffer.
public struct XMLTree: Sendable, Hashable {
    /// An attribute written on an element (`xsi:type="CanonicalUser"`); parsing drops attributes, as S3's bodies
    /// carry their meaning in elements.
    public struct Attribute: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    public var text: String
    public var children: [XMLTree]
    public var attributes: [Attribute]

    public init(_ name: String, text: String = "", children: [XMLTree] = [], attributes: [Attribute] = []) {
        self.name = name
        self.text = text
        self.children = children
        self.attributes = attributes
    }

    /// A leaf element: `<name>text</name>`.
    public static func leaf(_ name: String, _ text: String) -> XMLTree { XMLTree(name, text: text) }

    /// Child elements named `name`.
    public func children(named name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    public func text(of name: String) -> String? { children.first { $0.name == name }?.text }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Parses a document; nil when it is not well-formed XML (an empty body included). Element names are
    /// local names (namespaces are dropped); an element's text is kept only when it has no child elements.
    public static func parse(_ bytes: [UInt8]) -> XMLTree? {
        guard bytes.contains(0x3C) else { return nil }
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), !builder.malformed, builder.stack.isEmpty else { return nil }
        return builder.root
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>` and the document, with `xmlns` on the root when given.
    public func document(namespace: String? = nil) -> String {
        var out: [UInt8] = Array(#"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)
        out.reserveCapacity(256)
        append(to: &out, namespace: namespace)
        return String(decoding: out, as: UTF8.self)
    }

    private func append(to out: inout [UInt8], namespace: String? = nil) {
        out.append(0x3C)
        out.append(contentsOf: name.utf8)
        if let namespace {
            out.append(contentsOf: #" xmlns=""#.utf8)
            Self.escape(namespace, into: &out)
            out.append(0x22)
        }
        for attribute in attributes {
            out.append(0x20)
            out.append(contentsOf: attribute.name.utf8)
            out.append(contentsOf: #"=""#.utf8)
            Self.escape(attribute.value, into: &out)
            out.append(0x22)
        }
        out.append(0x3E)
        if children.isEmpty {
            Self.escape(text, into: &out)
        } else {
            for child in children { child.append(to: &out) }
        }
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: name.utf8)
        out.append(0x3E)
    }

    /// Escapes `&`, `<`, `>`, `"` and `'`, and writes every control character as a character reference, so a
    /// parser hands back exactly the text written: `&#9;`, `&#10;` and `&#13;` (which a parser would otherwise
    /// normalize), and `&#x1;` … `&#x1F;` for the others, as S3 writes them in listings. Those are not XML 1.0
    /// characters; a client that cannot read them asks for `encoding-type=url`.
    static func escape(_ text: String, into out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&apos;".utf8)
            case 0x09: out.append(contentsOf: "&#9;".utf8)
            case 0x0A: out.append(contentsOf: "&#10;".utf8)
            case 0x0D: out.append(contentsOf: "&#13;".utf8)
            case 0x00..<0x20: out.append(contentsOf: "&#x\(String(byte, radix: 16, uppercase: true));".utf8)
            default: out.append(byte)
            }
        }
    }

    /// Builds the tree as the parser reports elements and text.
    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?
        /// A second root element makes the document malformed (XML 1.0 §2.1), whatever the parser says.
        var malformed = false

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if stack.isEmpty, root != nil {
                malformed = true
                parser.abortParsing()
                return
            }
            stack.append(XMLTree(elementName))
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { malformed = true }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: block, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var node = stack.popLast() else { return }
            if !node.children.isEmpty { node.text = "" }
            if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
        }
    }
}
