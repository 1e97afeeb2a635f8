#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Why HTTP feeds cannot be fetched: the plugin is not where newsdesk looks, or not of its version.
public struct PluginError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Fetches through NewsHTTP's `FeedFetcher` in the HTTP plugin, `libNewsdeskHTTP.so`,
/// which is opened the first time a run has a feed URL (see Sources/NewsHTTPPlugin: linked
/// into newsdesk, the HTTP stack slowed every start). It looks for the plugin next to the
/// running executable (`NEWSDESK_HTTP_PLUGIN` names another file), as `swift build` puts
/// them both.
///
/// Made only by ``withFetcher(_:isolation:_:)``, which closes the plugin's fetcher (its
/// clients shut down) when the body ends, returning or throwing.
public final class PluginFetcher: FeedFetching, @unchecked Sendable {
    public let configuration: FetchConfiguration
    private let library: Library
    private let handle: UnsafeMutableRawPointer
    private let ids = NSLock()
    private var lastID: UInt64 = 0

    private init(configuration: FetchConfiguration, library: Library, handle: UnsafeMutableRawPointer) {
        self.configuration = configuration
        self.library = library
        self.handle = handle
    }

    /// Runs `body` with a fetcher in the plugin, and closes it when `body` returns or throws.
    /// Throws ``PluginError`` when the plugin cannot be loaded.
    public static func withFetcher<R>(
        _ configuration: FetchConfiguration,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PluginFetcher) async throws -> R
    ) async throws -> R {
        let library = try Library.shared.get()
        let config = FetchWire.encode(configuration)
        let opened: Handle? = await withCheckedContinuation { (c: CheckedContinuation<Handle?, Never>) in
            let box = Unmanaged.passRetained(Box(c)).toOpaque()
            config.withUnsafeBytes { bytes in
                library.open(bytes.baseAddress, bytes.count, { context, handle in
                    Unmanaged<Box<Handle?>>.fromOpaque(context!).takeRetainedValue().continuation.resume(returning: handle.map(Handle.init))
                }, box)
            }
        }
        guard let handle = opened?.pointer else { throw PluginError(description: "the HTTP plugin (\(Library.path())) could not read its configuration: it is not from the same build as this newsdesk (build both: make build)") }
        let fetcher = PluginFetcher(configuration: configuration, library: library, handle: handle)
        let result: R
        do {
            result = try await body(fetcher)
        } catch {
            await fetcher.close()
            throw error
        }
        await fetcher.close()
        return result
    }

    /// Fetches `request` once in the plugin; cancelling the task cancels the fetch there.
    public func fetch(_ request: FeedRequest) async -> FetchResult {
        let id = ids.withLock { () -> UInt64 in
            lastID += 1
            return lastID
        }
        let bytes = FetchWire.encode(request)
        let library = self.library, handle = Handle(pointer: self.handle)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<FetchResult, Never>) in
                let box = Unmanaged.passRetained(Box(c)).toOpaque()
                bytes.withUnsafeBytes { request in
                    library.fetch(handle.pointer, request.baseAddress, request.count, id, { context, result, count in
                        let box = Unmanaged<Box<FetchResult>>.fromOpaque(context!).takeRetainedValue()
                        box.continuation.resume(returning: FetchWire.decodeResult(UnsafeRawBufferPointer(start: result, count: count)))
                    }, box)
                }
            }
        } onCancel: {
            library.cancel(handle.pointer, id)
        }
    }

    private func close() async {
        let library = self.library, handle = self.handle
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            library.close(handle, { context in
                Unmanaged<Box<Void>>.fromOpaque(context!).takeRetainedValue().continuation.resume()
            }, Unmanaged.passRetained(Box(c)).toOpaque())
        }
    }

    private final class Box<T>: @unchecked Sendable {
        let continuation: CheckedContinuation<T, Never>
        init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = continuation }
    }

    private struct Handle: @unchecked Sendable { let pointer: UnsafeMutableRawPointer }

    /// The plugin's functions (see Sources/NewsHTTPPlugin/Plugin.swift for what each does).
    struct Library: @unchecked Sendable {
        typealias Ready = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void
        typealias Done = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, Int) -> Void
        typealias Closed = @convention(c) (UnsafeMutableRawPointer?) -> Void

        let open: @convention(c) (UnsafeRawPointer?, Int, Ready, UnsafeMutableRawPointer?) -> Void
        let fetch: @convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer?, Int, UInt64, Done, UnsafeMutableRawPointer?) -> Void
        let cancel: @convention(c) (UnsafeMutableRawPointer, UInt64) -> Void
        let close: @convention(c) (UnsafeMutableRawPointer, Closed, UnsafeMutableRawPointer?) -> Void

        static let abiVersion: Int32 = 1
        static let fileName = "libNewsdeskHTTP.so"

        /// Loaded once, on the first use.
        static let shared = Result<Library, PluginError>(catching: { () throws(PluginError) -> Library in try load(path: path()) })

        /// `NEWSDESK_HTTP_PLUGIN`, else the plugin next to the running executable.
        static func path() -> String {
            if let given = ProcessInfo.processInfo.environment["NEWSDESK_HTTP_PLUGIN"], !given.isEmpty { return given }
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            return executable.deletingLastPathComponent().appendingPathComponent(fileName).path
        }

        static func load(path: String) throws(PluginError) -> Library {
            guard let image = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
                let why = dlerror().map { String(cString: $0) } ?? "not found"
                throw PluginError(description: "HTTP feeds need \(fileName), built beside newsdesk by 'swift build' (make build): \(why)")
            }
            func symbol<T>(_ name: String, as: T.Type) throws(PluginError) -> T {
                guard let p = dlsym(image, name) else {
                    throw PluginError(description: "\(path) has no \(name): not newsdesk's HTTP plugin, or another version of it")
                }
                return unsafeBitCast(p, to: T.self)
            }
            let version = try symbol("newsdesk_http_abi_version", as: (@convention(c) () -> Int32).self)()
            guard version == abiVersion else {
                throw PluginError(description: "\(path) is version \(version) of the HTTP plugin; this newsdesk needs \(abiVersion)")
            }
            return Library(open: try symbol("newsdesk_http_open", as: (@convention(c) (UnsafeRawPointer?, Int, Ready, UnsafeMutableRawPointer?) -> Void).self),
                           fetch: try symbol("newsdesk_http_fetch", as: (@convention(c) (UnsafeMutableRawPointer, UnsafeRawPointer?, Int, UInt64, Done, UnsafeMutableRawPointer?) -> Void).self),
                           cancel: try symbol("newsdesk_http_cancel", as: (@convention(c) (UnsafeMutableRawPointer, UInt64) -> Void).self),
                           close: try symbol("newsdesk_http_close", as: (@convention(c) (UnsafeMutableRawPointer, Closed, UnsafeMutableRawPointer?) -> Void).self))
        }
    }
}
