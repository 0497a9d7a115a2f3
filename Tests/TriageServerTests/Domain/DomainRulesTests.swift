import Foundation
import Testing
@testable import TriageServer

/// The tracker's rules, tested once here; the store contract suite checks
/// that both stores ask them (and refuse exactly when they say no).
@Suite struct DomainRulesTests {
    /// DESIGN §3's transitions, and no other.
    static let designTransitions: Set<[IssueStatus]> = [
        [.open, .inProgress], [.open, .resolved], [.open, .closed],
        [.inProgress, .open], [.inProgress, .resolved], [.inProgress, .closed],
        [.resolved, .closed], [.resolved, .open], [.closed, .open],
    ]

    @Test func issueStatusesMoveExactlyAsTheDesignSays() {
        for from in IssueStatus.allCases {
            for to in IssueStatus.allCases where to != from {
                #expect(from.canMove(to: to) == Self.designTransitions.contains([from, to]), "\(from) → \(to)")
            }
        }
    }

    @Test func aChangeThatMovesTheStatusNamesTheMoveAndARefusedOneChangesNothing() throws {
        let issue = Issue(
            id: 1, title: "t", description: "", status: .resolved, priority: .low, reporterId: 1, assigneeId: nil,
            viewCount: 0, commentCount: 0, createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0)
        )
        let moved = try IssueChanges(status: .closed).applied(to: issue)
        #expect(moved.issue.status == .closed)
        #expect(moved.statusMove?.from == .resolved && moved.statusMove?.to == .closed)
        #expect(try IssueChanges(status: .resolved).applied(to: issue).statusMove == nil, "the same status is no move")
        #expect(throws: RepositoryError.invalidTransition(from: .resolved, to: .inProgress)) {
            _ = try IssueChanges(status: .inProgress).applied(to: issue)
        }
    }

    @Test func theLastAdminCannotBeDemotedAndNobodyElseIsHeldBack() throws {
        let admin = User(id: 7, username: "root", role: .admin, createdAt: Date(timeIntervalSince1970: 0))
        for role in [Role.member, .viewer] {
            #expect(throws: RepositoryError.conflict("user 7 is the last ADMIN; promote another user first")) {
                try UserRules.checkRoleChange(of: admin, to: role, admins: 1)
            }
            try UserRules.checkRoleChange(of: admin, to: role, admins: 2)
        }
        try UserRules.checkRoleChange(of: admin, to: .admin, admins: 1)
        var member = admin
        member.role = .member
        for role in Role.allCases { try UserRules.checkRoleChange(of: member, to: role, admins: 1) }
    }

    @Test func aTakenNameIsAConflictNamingIt() {
        #expect(UserRules.nameTaken("alice") == RepositoryError.conflict("username \"alice\" is already taken"))
    }
}
