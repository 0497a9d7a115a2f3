/// One page of a list; `page` counts from 0.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var page: Int
    public var size: Int
    public var totalItems: Int
    public var totalPages: Int

    public init(items: [Item], request: PageRequest, totalItems: Int) {
        self.items = items
        self.page = request.page
        self.size = request.size
        self.totalItems = totalItems
        self.totalPages = request.size == 0 ? 0 : (totalItems + request.size - 1) / request.size
    }
}

/// Which page to read; validated by the HTTP layer (size 1–100).
public struct PageRequest: Sendable, Equatable {
    public static let maximumSize = 100
    public static let defaultSize = 20

    public var page: Int
    public var size: Int

    public init(page: Int = 0, size: Int = PageRequest.defaultSize) {
        self.page = page
        self.size = size
    }

    public var offset: Int { page * size }
}
