import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small XML document as plain Swift values, parsed and written with Foundation's XML support.
///
/// libxml2, under FoundationXML, crashed here when two threads parsed or built documents at the same
/// time, so every call into it goes through one lock and the results are copied out as values.
public struct XMLTree: Sendable, Hashable {
    public var name: String
    public var text: String
    public var children: [XMLTree]

    public init(_ name: String, text: String = "", children: [XMLTree] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// A leaf element: `<name>text</name>`.
    public static func leaf(_ name: String, _ text: String) -> XMLTree { XMLTree(name, text: text) }

    /// Child elements named `name`.
    public func children(named name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    public func text(of name: String) -> String? { children.first { $0.name == name }?.text }

    private static let lock = NSLock()

    /// Parses a document; nil when it is not well-formed XML.
    ///
    /// XMLDocument crashes (a null dereference) on input libxml2 cannot parse, such as an empty body,
    /// so XMLParser checks that the document is well-formed first.
    public static func parse(_ bytes: [UInt8]) -> XMLTree? {
        guard bytes.contains(0x3C) else { return nil }
        return lock.withLock {
            guard XMLParser(data: Data(bytes)).parse() else { return nil }
            guard let document = try? XMLDocument(data: Data(bytes), options: []), let root = document.rootElement() else { return nil }
            return XMLTree(copying: root)
        }
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>` and the document, with `xmlns` on the root when given.
    public func document(namespace: String? = nil) -> String {
        Self.lock.withLock {
            let root = element()
            if let namespace, let attribute = XMLNode.attribute(withName: "xmlns", stringValue: namespace) as? XMLNode {
                root.addAttribute(attribute)
            }
            let document = XMLDocument(rootElement: root)
            document.version = "1.0"
            document.characterEncoding = "UTF-8"
            return document.xmlString
        }
    }

    private func element() -> XMLElement {
        let element = children.isEmpty ? XMLElement(name: name, stringValue: text) : XMLElement(name: name)
        for child in children { element.addChild(child.element()) }
        return element
    }

    private init(copying element: XMLElement) {
        let childElements = (element.children ?? []).compactMap { $0 as? XMLElement }
        self.init(
            element.localName ?? element.name ?? "", text: childElements.isEmpty ? (element.stringValue ?? "") : "",
            children: childElements.map(XMLTree.init(copying:)))
    }
}
