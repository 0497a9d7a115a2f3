/// What an `Accept` header asks for (RFC 9110 §12.5.1): media ranges and their weights.
struct AcceptHeader: Sendable {
    struct MediaRange: Sendable, Equatable {
        let type: Substring
        let subtype: Substring
        let weight: Double

        /// 2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`: the most specific match decides.
        var specificity: Int { type == "*" ? 0 : subtype == "*" ? 1 : 2 }

        func matches(type wantedType: Substring, subtype wantedSubtype: Substring) -> Bool {
            (type == "*" || type == wantedType) && (subtype == "*" || subtype == wantedSubtype)
        }
    }

    /// A header with more ranges than this is read only that far: a client cannot make the server parse without bound.
    static let maximumRanges = 32

    /// Empty when the request has no `Accept`: then everything is acceptable.
    let ranges: [MediaRange]

    init(_ value: String?) {
        guard let value else {
            ranges = []
            return
        }
        ranges = value.split(separator: ",").prefix(Self.maximumRanges).compactMap(Self.range)
    }

    /// The weight of a media type such as `text/csv`: that of the most specific range that names it, 0 if none does.
    func weight(of mediaType: String) -> Double {
        guard !ranges.isEmpty else { return 1 }
        let parts = mediaType.lowercased().split(separator: "/", maxSplits: 1)
        guard parts.count == 2 else { return 0 }
        let best = ranges.filter { $0.matches(type: parts[0], subtype: parts[1]) }.max { $0.specificity < $1.specificity }
        return best?.weight ?? 0
    }

    /// Of the types a route offers (its default first, which wins ties), the one asked for most; nil if none is acceptable.
    func preferred(of offered: [String]) -> String? {
        var chosen: (type: String, weight: Double)?
        for type in offered {
            let weight = weight(of: type)
            if weight > 0, weight > chosen?.weight ?? 0 { chosen = (type, weight) }
        }
        return chosen?.type
    }

    private static func range(_ text: Substring) -> MediaRange? {
        let parameters = text.split(separator: ";").map { $0.trimmingASCIISpaces().lowercased() }
        guard let mediaType = parameters.first else { return nil }
        let parts = mediaType.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        var weight = 1.0
        for parameter in parameters.dropFirst() where parameter.hasPrefix("q=") {
            // A malformed weight makes the range unusable rather than preferred.
            guard let value = Double(parameter.dropFirst(2)), (0...1).contains(value) else { return nil }
            weight = value
        }
        return MediaRange(type: Substring(parts[0]), subtype: Substring(parts[1]), weight: weight)
    }
}

private extension Substring {
    func trimmingASCIISpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}
