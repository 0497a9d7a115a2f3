import ArgumentParser
import Foundation
import TriageControlAPI

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users.",
        subcommands: [
            CreateUserCommand.self, ListUsersCommand.self, SetRoleCommand.self, ResetPasswordCommand.self,
            DisableUserCommand.self, EnableUserCommand.self,
        ]
    )
}

struct CreateUserCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a user, e.g. the first ADMIN.",
        discussion: "Without --password-stdin a password is generated and printed once."
    )

    @Argument(help: "The username (3–32 characters of a–z, 0–9, '.', '_', '-').")
    var name: String

    @Option(help: "ADMIN, MEMBER or VIEWER (any case).")
    var role: RoleName

    @Flag(help: "Read the password from the first line of standard input.")
    var passwordStdin = false

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        let password = passwordStdin ? try PasswordInput.standardInput() : nil
        let request = CreateUserRequest(username: name, role: role.rawValue, password: password)
        if options.json {
            Output.printJSON(try await client.exchange(.POST, ControlPath.users, body: request))
            return
        }
        let created = try await client.send(.POST, ControlPath.users, body: request, as: CreateUserResponse.self)
        var rows = [("id", String(created.id)), ("username", created.username), ("role", created.role)]
        if let generated = created.generatedPassword {
            rows.append(("password", generated))
        }
        print(Table.render(rows))
        if created.generatedPassword != nil {
            Output.printError("the password above is shown only this once")
        }
    }
}

enum RoleName: String, ExpressibleByArgument, CaseIterable {
    case admin = "ADMIN", member = "MEMBER", viewer = "VIEWER"

    init?(argument: String) {
        self.init(rawValue: argument.uppercased())
    }
}

enum PasswordInput {
    /// The first line of standard input, for `--password-stdin`.
    static func standardInput() throws(ControlClientError) -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw .usage("--password-stdin: standard input holds no password")
        }
        return line
    }
}

struct ListUsersCommand: ControlCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every user with role and state.")

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        if options.json {
            Output.printJSON(try await client.exchange(.GET, ControlPath.users, body: Optional<NoBody>.none))
            return
        }
        let accounts = try await client.get(ControlPath.users, as: [UserAccount].self)
        var rows = [["ID", "USERNAME", "ROLE", "CREATED", "STATE"]]
        for account in accounts {
            rows.append([
                String(account.id), account.username, account.role, account.createdAt.formatted(.iso8601),
                account.disabledAt.map { "disabled since \($0.formatted(.iso8601))" } ?? "enabled",
            ])
        }
        print(Table.columns(rows))
    }
}

struct SetRoleCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-role", abstract: "Change a user's role.",
        discussion: "The last enabled ADMIN cannot be demoted (exit 1): promote another user first."
    )

    @Argument(help: "The username.") var name: String
    @Argument(help: "ADMIN, MEMBER or VIEWER (any case).") var role: RoleName
    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        let path = ControlPath.user(ControlPath.userRole, name)
        let request = SetRoleRequest(role: role.rawValue)
        if options.json {
            Output.printJSON(try await client.exchange(.PUT, path, body: request))
            return
        }
        print(AccountText.render(try await client.send(.PUT, path, body: request, as: UserAccount.self)))
    }
}

struct ResetPasswordCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password", abstract: "Set a new password; the user's existing tokens stop working.",
        discussion: "Without --password-stdin a password is generated and printed once."
    )

    @Argument(help: "The username.") var name: String
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        let request = ResetPasswordRequest(password: passwordStdin ? try PasswordInput.standardInput() : nil)
        let path = ControlPath.user(ControlPath.userPassword, name)
        if options.json {
            Output.printJSON(try await client.exchange(.POST, path, body: request))
            return
        }
        let reset = try await client.send(.POST, path, body: request, as: ResetPasswordResponse.self)
        var text = AccountText.render(reset.account)
        if let generated = reset.generatedPassword { text += "\n" + Table.render([("password", generated)]) }
        print(text)
        if reset.generatedPassword != nil {
            Output.printError("the password above is shown only this once")
        }
    }
}

struct DisableUserCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Stop a user from logging in; their tokens stop working at once on every instance.",
        discussion: "The last enabled ADMIN cannot be disabled (exit 1)."
    )

    @Argument(help: "The username.") var name: String
    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        try await AccountText.post(ControlPath.user(ControlPath.userDisable, name), client: client, json: options.json)
    }
}

struct EnableUserCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "enable", abstract: "Let a disabled user log in again (tokens from before they were disabled stay refused)."
    )

    @Argument(help: "The username.") var name: String
    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        try await AccountText.post(ControlPath.user(ControlPath.userEnable, name), client: client, json: options.json)
    }
}

/// One account as the user commands print it.
enum AccountText {
    static func render(_ account: UserAccount) -> String {
        var rows = [("id", String(account.id)), ("username", account.username), ("role", account.role)]
        rows.append(("state", account.disabledAt.map { "disabled since \($0.formatted(.iso8601))" } ?? "enabled"))
        if let after = account.tokensValidAfter { rows.append(("tokens valid after", after.formatted(.iso8601))) }
        return Table.render(rows)
    }

    /// A body-less POST that answers an account.
    static func post(_ path: String, client: ControlClient, json: Bool) async throws(ControlClientError) {
        if json {
            Output.printJSON(try await client.exchange(.POST, path, body: Optional<NoBody>.none))
            return
        }
        print(render(try await client.send(.POST, path, body: Optional<NoBody>.none, as: UserAccount.self)))
    }
}
