import Hummingbird

/// The control socket's router: credentials first, then problems, then routes.
struct ControlRouterBuilder {
    let status: StatusReporter
    let levelControl: LogLevelControl
    let reloader: Reloader
    let tracker: TrackerServices

    func build() -> Router<ControlRequestContext> {
        let router = Router(context: ControlRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: PeerCredentialsMiddleware())
        router.add(middleware: LogRequestsMiddleware(.debug))
        ControlController(status: status, levelControl: levelControl, reloader: reloader).addRoutes(to: router)
        ControlUserController(tracker: tracker).addRoutes(to: router)
        return router
    }
}
