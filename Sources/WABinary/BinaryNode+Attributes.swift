extension BinaryNode {
    /// An attribute value: a string, or a JID (docs/protocol/lower.md §4.3: "a JID (4.5) when it is one").
    public enum AttributeValue: Equatable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        case string(String)
        case jid(JID)

        public init(stringLiteral value: String) { self = .string(value) }

        /// The value as text (a JID in its string form).
        public var description: String {
            switch self {
            case .string(let string): string
            case .jid(let jid): jid.description
            }
        }
    }

    /// Attributes in a deterministic (insertion) order, compared as a map: order is irrelevant on the wire
    /// (docs/protocol/lower.md §4.3: whatsmeow iterates a Go map), so two nodes with the same pairs in any order are equal.
    public struct Attributes: Equatable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
        public struct Element: Equatable, Sendable {
            public var key: String
            public var value: AttributeValue
        }

        private var elements: [Element] = []

        public init() {}

        /// Wraps elements whose keys the caller has made unique (the decoder's linear path).
        init(uniqueElements: [Element]) { elements = uniqueElements }

        public init(dictionaryLiteral pairs: (String, AttributeValue)...) {
            for (key, value) in pairs { self[key] = value }
        }

        public var count: Int { elements.count }
        public var isEmpty: Bool { elements.isEmpty }
        public func makeIterator() -> IndexingIterator<[Element]> { elements.makeIterator() }

        /// Reads, sets (keeping the original position) or removes (with nil) one attribute.
        public subscript(key: String) -> AttributeValue? {
            get { elements.first { $0.key == key }?.value }
            set {
                let position = elements.firstIndex { $0.key == key }
                switch (position, newValue) {
                case (let position?, let value?): elements[position].value = value
                case (let position?, nil): elements.remove(at: position)
                case (nil, let value?): elements.append(Element(key: key, value: value))
                case (nil, nil): break
                }
            }
        }

        public static func == (lhs: Attributes, rhs: Attributes) -> Bool {
            guard lhs.count == rhs.count else { return false }
            // Small maps scan; a large (decoded, hostile) one is indexed so comparing stays linear.
            guard rhs.count > 16 else { return lhs.elements.allSatisfy { rhs[$0.key] == $0.value } }
            let index = Dictionary(rhs.elements.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            return lhs.elements.allSatisfy { index[$0.key] == $0.value }
        }
    }
}

extension BinaryNode {
    /// The attribute as text (JIDs in their string form).
    public func string(_ key: String) -> String? {
        attributes[key]?.description
    }

    /// The attribute as a JID: a JID value as is, or a string value that parses as one.
    public func jid(_ key: String) -> JID? {
        switch attributes[key] {
        case .jid(let jid)?: jid
        case .string(let string)?: try? JID(parsing: string)
        case nil: nil
        }
    }

    /// The attribute as a decimal integer (e.g. `t`, `count`, `code`).
    public func int(_ key: String) -> Int? {
        guard case .string(let string)? = attributes[key] else { return nil }
        return Int(string)
    }

    /// The attribute as a decimal unsigned 64-bit integer.
    public func uint64(_ key: String) -> UInt64? {
        guard case .string(let string)? = attributes[key] else { return nil }
        return UInt64(string)
    }

    /// The attribute as a boolean: `"true"`/`"1"` or `"false"`/`"0"`.
    public func bool(_ key: String) -> Bool? {
        switch attributes[key] {
        case .string("true")?, .string("1")?: true
        case .string("false")?, .string("0")?: false
        default: nil
        }
    }
}
