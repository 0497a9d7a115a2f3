extension Duration {
    /// The duration in seconds, for logs, metrics and recorded runs.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
