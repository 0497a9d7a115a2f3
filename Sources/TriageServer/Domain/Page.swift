import Foundation

/// Which part of a list to read. Either after the last item of the previous
/// page (`after`, the keyset form a cursor carries: an index range read however
/// deep), or, when `after` is nil, `page` × `size` items in (the compatibility
/// form, which walks the skipped rows and is therefore capped).
public struct PageRequest<Key: Sendable & Equatable>: Sendable, Equatable {
    public static var maximumSize: Int { 100 }
    public static var defaultSize: Int { 20 }
    /// Deeper `page`s are refused: a request never walks more rows than this.
    public static var maximumOffset: Int { 10_000 }

    /// Counts from 0; with `after` it is only reported back (the cursor counts pages).
    public var page: Int
    public var size: Int
    public var after: Key?

    public init(page: Int = 0, size: Int = Self.defaultSize, after: Key? = nil) {
        self.page = page
        self.size = size
        self.after = after
    }

    public var offset: Int { after == nil ? page * size : 0 }
}

/// Where an issue sits in the list's order (newest first: createdAt, then id).
public struct IssueListKey: Sendable, Equatable {
    public var createdAt: Date
    public var id: IssueID

    public init(createdAt: Date, id: IssueID) {
        self.createdAt = createdAt
        self.id = id
    }

    public init(_ issue: Issue) { self.init(createdAt: issue.createdAt, id: issue.id) }
}

/// How many items a list has: exact, or — when counting would walk more than
/// `countLimit` rows — "at least `countLimit`".
public struct ListTotal: Sendable, Equatable {
    public static var countLimit: Int { 1_000 }

    public var count: Int
    public var exact: Bool

    public init(count: Int, exact: Bool) {
        self.count = count
        self.exact = exact
    }

    public static func exact(_ count: Int) -> ListTotal { ListTotal(count: count, exact: true) }

    /// From a count over at most `countLimit + 1` rows.
    public static func bounded(counted: Int) -> ListTotal {
        counted > countLimit ? ListTotal(count: countLimit, exact: false) : .exact(counted)
    }
}

/// What a store returns for one page: the items, the list's total and
/// whether anything follows the last item.
public struct ListSlice<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: ListTotal
    public var hasMore: Bool

    public init(items: [Item], total: ListTotal, hasMore: Bool) {
        self.items = items
        self.total = total
        self.hasMore = hasMore
    }

    /// From up to `size + 1` rows read in list order: the extra row only says more follow.
    public init(rows: [Item], size: Int, total: ListTotal) {
        self.init(items: Array(rows.prefix(size)), total: total, hasMore: rows.count > size)
    }
}

/// One page of a list as the API shows it; `page` counts from 0.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var page: Int
    public var size: Int
    /// Exact when `totalItemsExact`; otherwise a lower bound (`ListTotal.countLimit`).
    public var totalItems: Int
    public var totalPages: Int
    public var totalItemsExact: Bool
    /// Continues the list after the last item; nil on the last page.
    public var nextCursor: String?

    public init(slice: ListSlice<Item>, page: Int, size: Int, nextCursor: String?) {
        items = slice.items
        self.page = page
        self.size = size
        totalItems = slice.total.count
        totalPages = size == 0 ? 0 : (slice.total.count + size - 1) / size
        totalItemsExact = slice.total.exact
        self.nextCursor = nextCursor
    }

    // Encode nextCursor as an explicit null so clients see the field either way.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(page, forKey: .page)
        try container.encode(size, forKey: .size)
        try container.encode(totalItems, forKey: .totalItems)
        try container.encode(totalPages, forKey: .totalPages)
        try container.encode(totalItemsExact, forKey: .totalItemsExact)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
