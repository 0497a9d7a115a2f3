/// What the tracker routes need, built once in the composition root.
struct TrackerServices: Sendable {
    let store: any Store
    let directory: UserDirectory
    let tokens: TokenService
    let hasher: any PasswordHasher
    let throttle: LoginThrottle
    let clock: any WallClock
    let settings: SettingsHolder
    let decoy: DecoyHash
    let popular: PopularIssues
    /// Tells other instances sharing the database about evictions and role changes.
    var cluster: any ClusterBroadcaster = NoClusterBroadcaster()
}
