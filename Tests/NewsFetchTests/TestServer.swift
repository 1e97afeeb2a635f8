import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NewsCore

/// A request as the test server saw it.
struct SeenRequest: Sendable {
    var uri: String
    var headers: HTTPHeaders

    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// What the test server does for a request.
enum Reply: Sendable {
    /// A whole response (a `Content-Length` is added when none is given).
    case send(status: Int, headers: [(String, String)] = [], body: [UInt8] = [])
    /// Reads the request and never answers.
    case hang
    /// The head at once, then the body one byte every `every` (with its `Content-Length`).
    case drip(status: Int, headers: [(String, String)] = [], body: [UInt8], every: TimeAmount)
    /// The head, then the chunks with no `Content-Length` (chunked).
    case chunks(status: Int, headers: [(String, String)] = [], chunks: [[UInt8]])

    static func feed(_ body: String, type: String = "application/rss+xml", headers: [(String, String)] = []) -> Reply {
        .send(status: 200, headers: [("Content-Type", type)] + headers, body: Array(body.utf8))
    }

    static func redirect(_ status: Int, to location: String) -> Reply {
        .send(status: status, headers: [("Location", location)])
    }
}

/// An HTTP/1.1 server on a loopback address and a free port, with scripted routes (by
/// path, query included), started by the tests themselves. Nothing beyond loopback.
final class TestServer: Sendable {
    typealias Route = @Sendable (SeenRequest) -> Reply

    let host: String
    let port: Int
    /// Serving https (``start(host:tls:)``).
    let secure: Bool
    private let channel: any Channel
    private let routes: Protected<[String: Route]>
    private let log: Protected<[SeenRequest]>

    private init(host: String, port: Int, secure: Bool, channel: any Channel, routes: Protected<[String: Route]>,
                 log: Protected<[SeenRequest]>) {
        self.host = host
        self.port = port
        self.secure = secure
        self.channel = channel
        self.routes = routes
        self.log = log
    }

    /// - Parameter tls: serve https with this certificate (``TestCertificate``).
    static func start(host: String = "127.0.0.1", tls: TestCertificate? = nil) async throws -> TestServer {
        let routes = Protected<[String: Route]>([:])
        let log = Protected<[SeenRequest]>([])
        let context = try tls.map { cert in
            try NIOSSLContext(configuration: .makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(file: cert.certificate, format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(file: cert.key, format: .pem))))
        }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(routes: routes, log: log))
                }
            }
            .bind(host: host, port: 0).get()
        return TestServer(host: host, port: channel.localAddress?.port ?? 0, secure: tls != nil, channel: channel, routes: routes, log: log)
    }

    /// Runs `body` with a started server, stopped afterwards.
    static func with<R>(host: String = "127.0.0.1", tls: TestCertificate? = nil, _ body: (TestServer) async throws -> R) async throws -> R {
        let server = try await start(host: host, tls: tls)
        do {
            let r = try await body(server)
            await server.stop()
            return r
        } catch {
            await server.stop()
            throw error
        }
    }

    func stop() async { try? await channel.close() }

    func url(_ path: String) -> String { "\(secure ? "https" : "http")://\(host):\(port)\(path)" }

    func route(_ path: String, _ route: @escaping Route) { routes.withLock { $0[path] = route } }

    func route(_ path: String, _ reply: Reply) { route(path) { _ in reply } }

    /// Answers the n-th request to `path` (0-based) with `replies[n]`, the last one after that.
    func sequence(_ path: String, _ replies: [Reply]) {
        let counter = Protected(0)
        route(path) { _ in
            let n = counter.withLock { c in defer { c += 1 }; return c }
            return replies[min(n, replies.count - 1)]
        }
    }

    func requests(_ path: String? = nil) -> [SeenRequest] {
        log.withLock { all in path.map { p in all.filter { $0.uri == p } } ?? all }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let routes: Protected<[String: Route]>
        let log: Protected<[SeenRequest]>
        var head: HTTPRequestHead?

        init(routes: Protected<[String: Route]>, log: Protected<[SeenRequest]>) {
            self.routes = routes
            self.log = log
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h): head = h
            case .body: break
            case .end:
                guard let h = head else { return }
                head = nil
                let request = SeenRequest(uri: h.uri, headers: h.headers)
                log.withLock { $0.append(request) }
                let route = routes.withLock { $0[h.uri] }
                let reply = route?(request) ?? .send(status: 404, body: Array("no route".utf8))
                respond(reply, context: context, version: h.version)
            }
        }

        func respond(_ reply: Reply, context: ChannelHandlerContext, version: HTTPVersion) {
            func head(_ status: Int, _ headers: [(String, String)], length: Int?) -> HTTPResponseHead {
                var h = HTTPHeaders(headers)
                if let length, !h.contains(name: "content-length") { h.add(name: "Content-Length", value: "\(length)") }
                return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: h)
            }
            func buffer(_ bytes: [UInt8]) -> ByteBuffer { context.channel.allocator.buffer(bytes: bytes) }
            switch reply {
            case .hang:
                break
            case .send(let status, let headers, let body):
                context.write(wrapOutboundOut(.head(head(status, headers, length: body.count))), promise: nil)
                if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(buffer(body)))), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case .chunks(let status, let headers, let chunks):
                context.write(wrapOutboundOut(.head(head(status, headers, length: nil))), promise: nil)
                for chunk in chunks { context.write(wrapOutboundOut(.body(.byteBuffer(buffer(chunk)))), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case .drip(let status, let headers, let body, let every):
                context.writeAndFlush(wrapOutboundOut(.head(head(status, headers, length: body.count))), promise: nil)
                drip(body[...], every: every, context: context)
            }
        }

        func drip(_ rest: ArraySlice<UInt8>, every: TimeAmount, context: ChannelHandlerContext) {
            guard context.channel.isActive else { return }
            guard let byte = rest.first else {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                return
            }
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: [byte])))), promise: nil)
            _ = context.eventLoop.assumeIsolated().scheduleTask(in: every) {
                self.drip(rest.dropFirst(), every: every, context: context)
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }
}

/// A self-signed certificate for 127.0.0.1 and its key, made by `openssl` in a fresh
/// temporary folder when a test asks (valid two days: nothing to renew, nothing committed).
struct TestCertificate: Sendable {
    let folder: String
    /// PEM files.
    let certificate: String
    let key: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func make(commonName: String = "127.0.0.1") throws -> TestCertificate {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("newsdesk-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cert = folder + "/cert.pem", key = folder + "/key.pem"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=\(commonName)",
                             "-addext", "subjectAltName=IP:\(commonName)"]
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "openssl failed: \(String(decoding: message, as: UTF8.self))")
        }
        return TestCertificate(folder: folder, certificate: cert, key: key)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }
}
