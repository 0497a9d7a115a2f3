import ArgumentParser
import Foundation
import TriageControlAPI

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users.",
        subcommands: [CreateUserCommand.self]
    )
}

struct CreateUserCommand: ControlCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a user, e.g. the first ADMIN.",
        discussion: "Without --password-stdin a password is generated and printed once."
    )

    enum RoleName: String, ExpressibleByArgument, CaseIterable {
        case admin = "ADMIN", member = "MEMBER", viewer = "VIEWER"

        init?(argument: String) {
            self.init(rawValue: argument.uppercased())
        }
    }

    @Argument(help: "The username (3–32 characters of a–z, 0–9, '.', '_', '-').")
    var name: String

    @Option(help: "ADMIN, MEMBER or VIEWER (any case).")
    var role: RoleName

    @Flag(help: "Read the password from the first line of standard input.")
    var passwordStdin = false

    @OptionGroup var options: ControlOptions

    func execute(client: ControlClient) async throws(ControlClientError) {
        var password: String?
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw .usage("--password-stdin: standard input holds no password")
            }
            password = line
        }
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
