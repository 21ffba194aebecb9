import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Builds and reads the small XML documents of the S3 API with Foundation's XML support (libxml2).
enum S3XML {
    static let namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// A node of a document being built: an element with text or children.
    indirect enum Node {
        case text(String, String)
        case element(String, [Node])
    }

    /// `<?xml …?><Root><Name>value</Name>…</Root>` for flat documents such as errors.
    static func document(_ root: String, _ elements: [(String, String)], namespaced: Bool = false) -> String {
        document(root, elements.map { Node.text($0.0, $0.1) }, namespaced: namespaced)
    }

    /// A document with nested elements.
    static func document(_ root: String, _ children: [Node], namespaced: Bool = true) -> String {
        let element = XMLElement(name: root)
        if namespaced, let attribute = XMLNode.attribute(withName: "xmlns", stringValue: namespace) as? XMLNode {
            element.addAttribute(attribute)
        }
        for child in children { element.addChild(build(child)) }
        let document = XMLDocument(rootElement: element)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlString
    }

    /// A document whose root holds only text: `<LocationConstraint>eu-west-1</LocationConstraint>`.
    static func document(_ root: String, text: String) -> String {
        let element = XMLElement(name: root, stringValue: text)
        if let attribute = XMLNode.attribute(withName: "xmlns", stringValue: namespace) as? XMLNode { element.addAttribute(attribute) }
        let document = XMLDocument(rootElement: element)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document.xmlString
    }

    static func build(_ node: Node) -> XMLElement {
        switch node {
        case .text(let name, let value):
            return XMLElement(name: name, stringValue: value)
        case .element(let name, let children):
            let element = XMLElement(name: name)
            for child in children { element.addChild(build(child)) }
            return element
        }
    }

    /// Parses a request body; throws MalformedXML.
    static func parse(_ bytes: [UInt8]) throws -> XMLElement {
        guard let document = try? XMLDocument(data: Data(bytes), options: []), let root = document.rootElement() else {
            throw S3Error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", status: 400)
        }
        return root
    }
}

extension XMLElement {
    /// Child elements named `name`, ignoring namespaces.
    func children(named name: String) -> [XMLElement] {
        (children ?? []).compactMap { $0 as? XMLElement }.filter { $0.localName == name || $0.name == name }
    }

    /// The text of the first child named `name`.
    func text(of name: String) -> String? { children(named: name).first?.stringValue }
}
