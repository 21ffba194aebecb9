/// A JSON object being encoded (see ``CompactJSONEncoder``).
struct JSONKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONNodeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ key: Key, _ bytes: [UInt8]) { encoder.target.setMember(key.stringValue, JSONNode(.scalar(bytes))) }

    private func integer(_ value: some BinaryInteger, _ key: Key) { set(key, Array(String(value).utf8)) }

    mutating func encodeNil(forKey key: Key) throws { set(key, Array("null".utf8)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(key, Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(key, JSONNodeEncoder.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(key, try JSONNodeEncoder.number(value, codingPath + [key])) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(key, try JSONNodeEncoder.number(value, codingPath + [key])) }
    mutating func encode(_ value: Int, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { integer(value, key) }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        encoder.target.setMember(key.stringValue, try encoder.node(for: value, at: codingPath + [key]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode(.object([:]))
        encoder.target.setMember(key.stringValue, child)
        return JSONNodeEncoder(codingPath: codingPath + [key], date: encoder.date, target: child).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONNode(.array([]))
        encoder.target.setMember(key.stringValue, child)
        return JSONNodeEncoder(codingPath: codingPath + [key], date: encoder.date, target: child).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let child = JSONNode()
        encoder.target.setMember(name, child)
        return JSONNodeEncoder(codingPath: codingPath + [JSONKey(name)], date: encoder.date, target: child)
    }
}

/// A JSON array being encoded.
struct JSONUnkeyedEncoding: UnkeyedEncodingContainer {
    let encoder: JSONNodeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int {
        if case .array(let elements) = encoder.target.storage { elements.count } else { 0 }
    }

    private func append(_ bytes: [UInt8]) { encoder.target.append(JSONNode(.scalar(bytes))) }
    private var nextPath: [any CodingKey] { codingPath + [JSONKey(index: count)] }

    mutating func encodeNil() throws { append(Array("null".utf8)) }
    mutating func encode(_ value: Bool) throws { append(Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String) throws { append(JSONNodeEncoder.string(value)) }
    mutating func encode(_ value: Double) throws { append(try JSONNodeEncoder.number(value, nextPath)) }
    mutating func encode(_ value: Float) throws { append(try JSONNodeEncoder.number(value, nextPath)) }
    mutating func encode(_ value: Int) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: Int8) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: Int16) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: Int32) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: Int64) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt8) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt16) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt32) throws { append(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt64) throws { append(Array(String(value).utf8)) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        encoder.target.append(try encoder.node(for: value, at: nextPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode(.object([:]))
        let path = nextPath
        encoder.target.append(child)
        return JSONNodeEncoder(codingPath: path, date: encoder.date, target: child).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONNode(.array([]))
        let path = nextPath
        encoder.target.append(child)
        return JSONNodeEncoder(codingPath: path, date: encoder.date, target: child).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONNode()
        let path = nextPath
        encoder.target.append(child)
        return JSONNodeEncoder(codingPath: path, date: encoder.date, target: child)
    }
}

/// One value being encoded.
struct JSONSingleValueEncoding: SingleValueEncodingContainer {
    let encoder: JSONNodeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ bytes: [UInt8]) { encoder.target.storage = .scalar(bytes) }

    mutating func encodeNil() throws { set(Array("null".utf8)) }
    mutating func encode(_ value: Bool) throws { set(Array((value ? "true" : "false").utf8)) }
    mutating func encode(_ value: String) throws { set(JSONNodeEncoder.string(value)) }
    mutating func encode(_ value: Double) throws { set(try JSONNodeEncoder.number(value, codingPath)) }
    mutating func encode(_ value: Float) throws { set(try JSONNodeEncoder.number(value, codingPath)) }
    mutating func encode(_ value: Int) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: Int8) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: Int16) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: Int32) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: Int64) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt8) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt16) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt32) throws { set(Array(String(value).utf8)) }
    mutating func encode(_ value: UInt64) throws { set(Array(String(value).utf8)) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        encoder.target.storage = try encoder.node(for: value).storage
    }
}

/// A coding key made at run time: an object member's name or an array index.
struct JSONKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ name: String) {
        stringValue = name
        intValue = nil
    }

    init(index: Int) {
        stringValue = "Index \(index)"
        intValue = index
    }

    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}
