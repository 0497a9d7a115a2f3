import Foundation
import Testing
@testable import TriageServer

/// What every store must do, whatever database is behind it.
@Suite(.timeLimit(.minutes(2))) struct RepositoryContractTests {
    let start = Date(timeIntervalSince1970: 1_780_000_000.123)

    private func withStore(_ kind: StoreKind, _ body: (any Store) async throws -> Void) async throws {
        try await kind.with(body)
    }

    private func member(_ store: any Store, _ name: String = "reporter", role: Role = .member) async throws -> User {
        try await store.users.create(username: name, passwordHash: "hash", role: role, at: start)
    }

    @Test(arguments: StoreKind.allCases)
    func usersAreUniqueAndKeepMillisecondTimes(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let alice = try await store.users.create(username: "alice", passwordHash: "h1", role: .admin, at: start)
            #expect(alice.createdAt == start)
            await #expect(throws: UserRules.nameTaken("alice")) {
                _ = try await store.users.create(username: "alice", passwordHash: "h2", role: .member, at: start)
            }
            #expect(try await store.users.find(id: alice.id) == alice)
            #expect(try await store.users.find(id: 999) == nil)
            let credentials = try #require(try await store.users.credentials(username: "alice"))
            #expect(credentials.passwordHash == "h1")
            #expect(credentials.user == alice)
            #expect(try await store.users.credentials(username: "nobody") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func roleChangesNeverLeaveNoAdmin(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let admin = try await member(store, "root", role: .admin)
            let bob = try await member(store, "bob")
            await #expect(throws: RepositoryError.conflict("user \(admin.id) is the last ADMIN; promote another user first")) {
                _ = try await store.users.changeRole(id: admin.id, to: .member)
            }
            #expect(try await store.users.find(id: admin.id)?.role == .admin, "the refused change wrote nothing")
            #expect(try await store.users.changeRole(id: bob.id, to: .admin).role == .admin)
            #expect(try await store.users.changeRole(id: admin.id, to: .viewer).role == .viewer)
            #expect(try await store.users.count(role: .admin) == 1)
            await #expect(throws: RepositoryError.notFound(entity: "user", id: 77)) { _ = try await store.users.changeRole(id: 77, to: .admin) }
            let page = try await store.users.list(PageRequest(page: 0, size: 1))
            #expect(page.items.map(\.username) == ["root"])
            #expect(page.total == .exact(2) && page.hasMore)
            let next = try await store.users.list(PageRequest(page: 1, size: 1, after: page.items[0].id))
            #expect(next.items.map(\.username) == ["bob"] && !next.hasMore)
        }
    }

    /// Issue #18: what `triagectl user` needs of a store.
    @Test(arguments: StoreKind.allCases)
    func accountsAreDisabledEnabledAndGivenNewPasswords(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let root = try await member(store, "root", role: .admin)
            let bob = try await member(store, "bob")
            let later = start.addingTimeInterval(60)
            let reset = try await store.users.setPassword(id: bob.id, passwordHash: "new-hash", at: later)
            #expect(reset.tokensValidAfter == later && !reset.isDisabled)
            #expect(try await store.users.credentials(username: "bob")?.passwordHash == "new-hash")

            let disabled = try await store.users.setDisabled(id: bob.id, true, at: later.addingTimeInterval(1))
            #expect(disabled.disabledAt == later.addingTimeInterval(1) && disabled.tokensValidAfter == later.addingTimeInterval(1))
            let twice = try await store.users.setDisabled(id: bob.id, true, at: later.addingTimeInterval(9))
            #expect(twice.disabledAt == later.addingTimeInterval(1), "disabling again keeps the first date")
            #expect(try await store.users.find(id: bob.id) == disabled, "the state is read back as written")
            let enabled = try await store.users.setDisabled(id: bob.id, false, at: later.addingTimeInterval(2))
            #expect(enabled.disabledAt == nil && enabled.tokensValidAfter == later.addingTimeInterval(1), "old tokens stay refused")

            await #expect(throws: RepositoryError.conflict("user \(root.id) is the last enabled ADMIN; promote or enable another ADMIN first")) {
                _ = try await store.users.setDisabled(id: root.id, true, at: later)
            }
            // A second ADMIN who is disabled does not count: root is still the last one who can act.
            let deputy = try await member(store, "deputy", role: .admin)
            _ = try await store.users.setDisabled(id: deputy.id, true, at: later)
            await #expect(throws: RepositoryError.conflict("user \(root.id) is the last ADMIN; promote another user first")) {
                _ = try await store.users.changeRole(id: root.id, to: .member)
            }
            #expect(try await store.users.changeRole(id: deputy.id, to: .viewer).role == .viewer, "demoting a disabled ADMIN is allowed")
            #expect(try await store.users.all().map(\.username) == ["root", "bob", "deputy"])
            await #expect(throws: RepositoryError.notFound(entity: "user", id: 77)) { _ = try await store.users.setDisabled(id: 77, true, at: later) }
            await #expect(throws: RepositoryError.notFound(entity: "user", id: 77)) { _ = try await store.users.setPassword(id: 77, passwordHash: "h", at: later) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func creatingAnIssueRecordsItsFirstStatusEvent(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let reporter = try await member(store)
            let issue = try await store.issues.create(
                NewIssue(title: "Crash", description: "on start", priority: .high, reporterId: reporter.id, assigneeId: reporter.id), at: start
            )
            #expect(issue.status == .open)
            #expect(issue.viewCount == 0 && issue.commentCount == 0)
            #expect(issue.createdAt == start && issue.updatedAt == start)
            #expect(try await store.issues.statusEvents(issueId: issue.id) == [
                IssueStatusEvent(issueId: issue.id, from: nil, to: .open, at: start, actorId: reporter.id),
            ])
            await #expect(throws: RepositoryError.invalidReference(field: "assigneeId", id: 4242)) {
                _ = try await store.issues.create(
                    NewIssue(title: "x", description: "", priority: .low, reporterId: reporter.id, assigneeId: 4242), at: start
                )
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func statusChangesFollowTheRulesAndAreRecorded(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let reporter = try await member(store)
            let issue = try await store.issues.create(
                NewIssue(title: "t", description: "d", priority: .low, reporterId: reporter.id, assigneeId: nil), at: start
            )
            let later = start.addingTimeInterval(60)
            let resolved = try await store.issues.update(id: issue.id, IssueChanges(status: .resolved), actorId: reporter.id, at: later)
            #expect(resolved.status == .resolved)
            #expect(resolved.updatedAt == later)
            await #expect(throws: RepositoryError.invalidTransition(from: .resolved, to: .inProgress)) {
                _ = try await store.issues.update(id: issue.id, IssueChanges(status: .inProgress), actorId: reporter.id, at: later)
            }
            _ = try await store.issues.update(id: issue.id, IssueChanges(status: .closed), actorId: reporter.id, at: later.addingTimeInterval(1))
            _ = try await store.issues.update(id: issue.id, IssueChanges(status: .open), actorId: reporter.id, at: later.addingTimeInterval(2))
            let events = try await store.issues.statusEvents(issueId: issue.id)
            #expect(events.map(\.to) == [.open, .resolved, .closed, .open])
            #expect(events.map(\.from) == [nil, .open, .resolved, .closed])
            #expect(events[1].at == later)

            // Same status again is not a transition and records nothing.
            let unchanged = try await store.issues.update(id: issue.id, IssueChanges(status: .open), actorId: reporter.id, at: later.addingTimeInterval(3))
            #expect(unchanged.updatedAt == later.addingTimeInterval(2))
            #expect(try await store.issues.statusEvents(issueId: issue.id).count == 4)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theStoreMovesAnIssueExactlyWhenTheRuleAllows(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let reporter = try await member(store)
            for from in IssueStatus.allCases {
                for to in IssueStatus.allCases where to != from {
                    // Every status is one step from OPEN, so each issue reaches `from` by an allowed move.
                    let issue = try await store.issues.create(
                        NewIssue(title: "t", description: "", priority: .low, reporterId: reporter.id, assigneeId: nil), at: start
                    )
                    if from != .open {
                        _ = try await store.issues.update(id: issue.id, IssueChanges(status: from), actorId: reporter.id, at: start)
                    }
                    let eventsBefore = try await store.issues.statusEvents(issueId: issue.id).count
                    if from.canMove(to: to) {
                        #expect(try await store.issues.update(id: issue.id, IssueChanges(status: to), actorId: reporter.id, at: start).status == to)
                        #expect(try await store.issues.statusEvents(issueId: issue.id).count == eventsBefore + 1, "\(from) → \(to) recorded")
                    } else {
                        await #expect(throws: RepositoryError.invalidTransition(from: from, to: to), "\(from) → \(to)") {
                            _ = try await store.issues.update(id: issue.id, IssueChanges(status: to), actorId: reporter.id, at: start)
                        }
                        #expect(try await store.issues.find(id: issue.id)?.status == from, "\(from) → \(to) refused and unchanged")
                        #expect(try await store.issues.statusEvents(issueId: issue.id).count == eventsBefore)
                    }
                }
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func theLastGoodUpstreamBodyIsKeptPerURLAndReplaced(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let url = "http://upstream.test/posts/1"
            #expect(try await store.externalSnapshots.snapshot(url: url) == nil)
            try await store.externalSnapshots.save(url: url, body: Data("{\"a\":1}".utf8), at: start)
            let later = start.addingTimeInterval(90)
            try await store.externalSnapshots.save(url: url, body: Data("{\"a\":2}".utf8), at: later)
            let kept = try #require(try await store.externalSnapshots.snapshot(url: url))
            #expect(String(decoding: kept.body, as: UTF8.self) == "{\"a\":2}")
            #expect(kept.fetchedAt == later)
            #expect(try await store.externalSnapshots.snapshot(url: "http://upstream.test/other") == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func partialUpdatesAssignAndUnassign(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let reporter = try await member(store)
            let helper = try await member(store, "helper")
            let issue = try await store.issues.create(
                NewIssue(title: "t", description: "d", priority: .low, reporterId: reporter.id, assigneeId: nil), at: start
            )
            let assigned = try await store.issues.update(id: issue.id, IssueChanges(priority: .critical, assignee: .some(helper.id)), actorId: reporter.id, at: start)
            #expect(assigned.assigneeId == helper.id && assigned.priority == .critical && assigned.title == "t")
            let unassigned = try await store.issues.update(id: issue.id, IssueChanges(assignee: .some(nil)), actorId: reporter.id, at: start)
            #expect(unassigned.assigneeId == nil && unassigned.priority == .critical)
            await #expect(throws: RepositoryError.notFound(entity: "issue", id: 999)) {
                _ = try await store.issues.update(id: 999, IssueChanges(title: "x"), actorId: reporter.id, at: start)
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func listsFilterAndPageInAStableOrder(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let alice = try await member(store, "alice")
            let bob = try await member(store, "bob")
            var created: [TriageServer.Issue] = []
            for index in 0..<25 {
                // Several issues share a createdAt, so the id must break ties.
                let at = start.addingTimeInterval(Double(index / 3))
                let reporter = index.isMultiple(of: 2) ? alice : bob
                created.append(try await store.issues.create(
                    NewIssue(title: "issue \(index)", description: "", priority: .medium, reporterId: reporter.id, assigneeId: index < 5 ? bob.id : nil), at: at
                ))
            }
            _ = try await store.issues.update(id: created[0].id, IssueChanges(status: .closed), actorId: alice.id, at: start)

            let expectedOrder = created.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.map(\.id)
            var seen: [IssueID] = []
            for page in 0..<3 {
                let result = try await store.issues.list(IssueFilter(), PageRequest(page: page, size: 10))
                #expect(result.total == .exact(25))
                #expect(result.hasMore == (page < 2))
                seen += result.items.map(\.id)
            }
            #expect(seen == expectedOrder)
            #expect(try await store.issues.list(IssueFilter(), PageRequest(page: 5, size: 10)).items.isEmpty)
            #expect(try await walk(store, IssueFilter(), size: 4) == expectedOrder, "the keyset form reads the same list, ties included")
            // Issues created while a client walks the list land before its cursor: nothing it has
            // not seen yet moves, so no item repeats and none is skipped.
            var walked: [IssueID] = []
            var request = PageRequest<IssueListKey>(size: 6)
            while true {
                let slice = try await store.issues.list(IssueFilter(), request)
                walked += slice.items.map(\.id)
                _ = try await store.issues.create(
                    NewIssue(title: "during the walk", description: "", priority: .low, reporterId: bob.id, assigneeId: nil), at: start.addingTimeInterval(60)
                )
                guard slice.hasMore, let last = slice.items.last else { break }
                request = PageRequest(page: request.page + 1, size: 6, after: IssueListKey(last))
            }
            #expect(walked == expectedOrder)
            let byAlice = created.filter { $0.reporterId == alice.id }.map(\.id)
            #expect(try await walk(store, IssueFilter(reporterId: alice.id), size: 5) == expectedOrder.filter(byAlice.contains))
            #expect(try await store.issues.list(IssueFilter(reporterId: alice.id), PageRequest()).total == .exact(13))
            #expect(try await store.issues.list(IssueFilter(assigneeId: bob.id), PageRequest()).total == .exact(5))
            #expect(try await store.issues.list(IssueFilter(status: .closed), PageRequest()).items.map(\.id) == [created[0].id])
            #expect(try await store.issues.list(IssueFilter(status: .open, assigneeId: bob.id, reporterId: alice.id), PageRequest()).total == .exact(2))
        }
    }

    /// Every page of a list through the keyset form.
    private func walk(_ store: any Store, _ filter: IssueFilter, size: Int) async throws -> [IssueID] {
        var ids: [IssueID] = []
        var request = PageRequest<IssueListKey>(size: size)
        while true {
            let slice = try await store.issues.list(filter, request)
            ids += slice.items.map(\.id)
            guard slice.hasMore, let last = slice.items.last else { return ids }
            request = PageRequest(page: request.page + 1, size: size, after: IssueListKey(last))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func oppositeMovesInOneShardNeitherDeadlockNorDrift(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let alice = try await member(store, "alice")
            var issues: [TriageServer.Issue] = []
            for index in 0..<32 {
                issues.append(try await store.issues.create(
                    NewIssue(title: "t\(index)", description: "", priority: .low, reporterId: alice.id, assigneeId: nil), at: start
                ))
            }
            for issue in issues[16...] {
                _ = try await store.issues.update(id: issue.id, IssueChanges(status: .inProgress), actorId: alice.id, at: start)
            }
            // Issues 16 apart share a counter shard; each round moves them in opposite directions at once.
            for round in 0..<4 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<16 {
                        let (first, second) = (issues[index].id, issues[index + 16].id)
                        let forward: IssueStatus = round.isMultiple(of: 2) ? .inProgress : .open
                        let back: IssueStatus = round.isMultiple(of: 2) ? .open : .inProgress
                        group.addTask { _ = try await store.issues.update(id: first, IssueChanges(status: forward), actorId: alice.id, at: self.start) }
                        group.addTask { _ = try await store.issues.update(id: second, IssueChanges(status: back), actorId: alice.id, at: self.start) }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await store.issues.list(IssueFilter(status: .open), PageRequest()).total == .exact(16))
            #expect(try await store.issues.list(IssueFilter(status: .inProgress), PageRequest()).total == .exact(16))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func statusCountersFollowEveryWrite(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let alice = try await member(store, "alice")
            func totals() async throws -> [IssueStatus?: Int] {
                var totals: [IssueStatus?: Int] = [:]
                for status in [nil] + IssueStatus.allCases {
                    let total = try await store.issues.list(IssueFilter(status: status), PageRequest(size: 1)).total
                    #expect(total.exact)
                    totals[status] = total.count
                }
                return totals
            }
            // Concurrent creations land in different shards and add up.
            let issues = try await withThrowingTaskGroup(of: TriageServer.Issue.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.issues.create(NewIssue(title: "t\(index)", description: "", priority: .low, reporterId: alice.id, assigneeId: nil), at: self.start)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(try await totals() == [nil: 40, .open: 40, .inProgress: 0, .resolved: 0, .closed: 0])
            _ = try await store.issues.update(id: issues[0].id, IssueChanges(status: .resolved), actorId: alice.id, at: start)
            _ = try await store.issues.update(id: issues[0].id, IssueChanges(status: .closed), actorId: alice.id, at: start)
            _ = try await store.issues.update(id: issues[1].id, IssueChanges(status: .inProgress), actorId: alice.id, at: start)
            _ = try await store.issues.update(id: issues[2].id, IssueChanges(title: "renamed"), actorId: alice.id, at: start)
            await #expect(throws: RepositoryError.invalidTransition(from: .closed, to: .inProgress)) {
                _ = try await store.issues.update(id: issues[0].id, IssueChanges(status: .inProgress), actorId: alice.id, at: self.start)
            }
            try await store.issues.delete(id: issues[1].id)
            try await store.issues.delete(id: issues[3].id)
            #expect(try await totals() == [nil: 38, .open: 37, .inProgress: 0, .resolved: 0, .closed: 1])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func viewBatchesAddUp(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let reporter = try await member(store)
            let issue = try await store.issues.create(
                NewIssue(title: "t", description: "", priority: .low, reporterId: reporter.id, assigneeId: nil), at: start
            )
            // Batches from several instances at once add up; an issue deleted since is skipped.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await store.issues.addViews([issue.id: 10, 999: 3]) }
                }
                try await group.waitForAll()
            }
            #expect(try await store.issues.find(id: issue.id)?.viewCount == 200)
            #expect(try await store.issues.find(id: 999) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func commentCountsStayExact(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let author = try await member(store)
            let issue = try await store.issues.create(
                NewIssue(title: "t", description: "", priority: .low, reporterId: author.id, assigneeId: nil), at: start
            )
            let comments = try await withThrowingTaskGroup(of: Comment.self) { group in
                for index in 0..<50 {
                    group.addTask { try await store.comments.create(issueId: issue.id, authorId: author.id, content: "c\(index)", at: self.start) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(try await store.issues.find(id: issue.id)?.commentCount == 50)
            for comment in comments.prefix(20) { try await store.comments.delete(id: comment.id) }
            #expect(try await store.issues.find(id: issue.id)?.commentCount == 30)
            await #expect(throws: RepositoryError.notFound(entity: "comment", id: comments[0].id)) { try await store.comments.delete(id: comments[0].id) }
            #expect(try await store.issues.find(id: issue.id)?.commentCount == 30)
            await #expect(throws: RepositoryError.notFound(entity: "issue", id: 999)) {
                _ = try await store.comments.create(issueId: 999, authorId: author.id, content: "x", at: self.start)
            }
            let page = try await store.comments.list(issueId: issue.id, PageRequest(page: 0, size: 100))
            #expect(page.total == .exact(30) && !page.hasMore)
            #expect(page.items.map(\.id) == page.items.map(\.id).sorted())
            let first = try await store.comments.list(issueId: issue.id, PageRequest(page: 0, size: 12))
            let second = try await store.comments.list(issueId: issue.id, PageRequest(page: 1, size: 12, after: first.items.last?.id))
            #expect(first.items.map(\.id) + second.items.map(\.id) == Array(page.items.prefix(24)).map(\.id) && second.hasMore)
            let edited = try await store.comments.update(id: page.items[0].id, content: "edited", at: start.addingTimeInterval(5))
            #expect(edited.content == "edited" && edited.updatedAt == start.addingTimeInterval(5) && edited.createdAt == start)
            await #expect(throws: RepositoryError.notFound(entity: "issue", id: 999)) { _ = try await store.comments.list(issueId: 999, PageRequest()) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deletingAnIssueTakesItsCommentsAndEvents(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let author = try await member(store)
            let issue = try await store.issues.create(
                NewIssue(title: "t", description: "", priority: .low, reporterId: author.id, assigneeId: nil), at: start
            )
            let comment = try await store.comments.create(issueId: issue.id, authorId: author.id, content: "c", at: start)
            try await store.issues.delete(id: issue.id)
            #expect(try await store.issues.find(id: issue.id) == nil)
            #expect(try await store.comments.find(id: comment.id) == nil)
            #expect(try await store.issues.statusEvents(issueId: issue.id).isEmpty)
            await #expect(throws: RepositoryError.notFound(entity: "issue", id: issue.id)) { try await store.issues.delete(id: issue.id) }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func popularIsTheTopTenOfTheLastSevenDays(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let reporter = try await member(store)
            let now = start
            let since = now.addingTimeInterval(-7 * 86_400)
            func issue(_ title: String, at date: Date, views: Int, comments: Int = 0) async throws -> TriageServer.Issue {
                let issue = try await store.issues.create(
                    NewIssue(title: title, description: "", priority: .low, reporterId: reporter.id, assigneeId: nil), at: date
                )
                if views > 0 { try await store.issues.addViews([issue.id: views]) }
                for _ in 0..<comments { _ = try await store.comments.create(issueId: issue.id, authorId: reporter.id, content: "c", at: date) }
                return issue
            }
            _ = try await issue("too old by a millisecond", at: since.addingTimeInterval(-0.001), views: 100)
            let edge = try await issue("exactly seven days old", at: since, views: 50)
            var ranked: [String] = []
            for index in 0..<12 {
                _ = try await issue("score \(index)", at: now.addingTimeInterval(-Double(index) * 3600), views: index, comments: index % 2)
                ranked.append("score \(index)")
            }
            // Ties: same score, newer first, then higher id.
            let tiedOlder = try await issue("tie older", at: now.addingTimeInterval(-7200), views: 20)
            let tiedNewerLow = try await issue("tie newer A", at: now.addingTimeInterval(-3600), views: 20)
            let tiedNewerHigh = try await issue("tie newer B", at: now.addingTimeInterval(-3600), views: 20)

            let top = try await store.issues.popular(since: since, limit: 10)
            #expect(top.count == 10)
            #expect(top[0].id == edge.id, "the window includes its first millisecond")
            #expect(top[1...3].map(\.id) == [tiedNewerHigh.id, tiedNewerLow.id, tiedOlder.id])
            #expect(!top.contains { $0.title == "too old by a millisecond" })
            let scores = top.map { $0.viewCount + $0.commentCount }
            #expect(scores == scores.sorted(by: >))
            #expect(top[4].title == "score 11" && top[4].viewCount + top[4].commentCount == 12)
        }
    }
}
