/// Text for a POSIX shell command line: single-quoted, a quote inside closed and escaped.
/// The daemon builds the `pg_dump` line with it and the CLI appends `--file=PATH`.
public enum ShellQuoting {
    public static func quoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
