// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "newsdesk",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "newsdesk", targets: ["newsdesk"]),
        // The HTTP stack, opened by newsdesk only when a feed is a URL (Sources/NewsHTTPPlugin).
        .library(name: "NewsdeskHTTP", type: .dynamic, targets: ["NewsHTTPPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        // NewsFetch's HTTP client (DECISIONS.md: why not URLSession); swift-nio comes with it,
        // named here because NewsFetch and its tests use NIO's types and the test server.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        // TLS, already built for async-http-client: the fetcher's extra trust roots, and
        // the tests' https server.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        // The persistent store (issue 13): SQLite through GRDB; on Linux it links the
        // system's libsqlite3 (libsqlite3-dev, scripts/ensure-deps.sh).
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // The config file (issue 14): TOML, read with toml++ behind TOMLKit.
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        // The headline vocabularies and templates live as plain text under the
        // top-level Resources/ folder; this small target bundles them.
        .target(
            name: "NewsResources",
            path: "Resources",
            exclude: ["README.md"],
            sources: ["NewsResources.swift"],
            resources: [.copy("vocabulary")]
        ),
        // Declares the libc functions that Swift's Glibc module hides (memmem, mallinfo2).
        .target(name: "CLibc"),
        .target(
            name: "NewsCore",
            dependencies: [
                "NewsResources",
                "CLibc",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // The app as a state machine and a renderer into an in-memory grid: no terminal.
        .target(
            name: "NewsUI",
            dependencies: [
                "NewsCore",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        // The only C that touches ncurses: wide-character defines, accessors for the
        // macros and globals Swift cannot import, and the crash-time terminal restore.
        .target(
            name: "CNcursesw",
            linkerSettings: [.linkedLibrary("ncursesw")]
        ),
        // Puts grids on the terminal, reads keys: the only Swift that calls ncurses.
        .target(
            name: "NewsTerminal",
            dependencies: ["NewsUI", "CNcursesw"]
        ),
        // The app runtime: the event loop, the live and replay sessions, the tick, the
        // clock choice and the plain output. It drives any `Screen` (NewsTerminal's, or
        // the in-memory one in tests), so all of it is testable without a terminal.
        .target(
            name: "NewsApp",
            dependencies: ["NewsUI", "NewsCore", "NewsFeeds", "NewsFetch", "NewsStore", "CLibc"]
        ),
        // The config file (issue 14): where it is, TOML read with TOMLKit, every line of it
        // checked against the key table, the query parser and the options it may hold.
        .target(
            name: "NewsConfig",
            dependencies: [
                "NewsCore",
                "NewsUI",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .executableTarget(
            name: "newsdesk",
            dependencies: [
                "CLibc",
                "NewsCore",
                "NewsUI",
                "NewsApp",
                "NewsConfig",
                "NewsTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // lld with packed relative relocations (DT_RELR, glibc 2.36+): the dynamic loader
            // spent 4.7 M cycles on the binary's ~95,000 relative relocations at every start,
            // 2.2 M packed (DECISIONS.md, 2026-12-02). lld comes with the Swift toolchain.
            linkerSettings: [.unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"])]
        ),
        .executableTarget(
            name: "newsdesk-bench",
            dependencies: ["NewsCore", "NewsUI", "NewsFeeds", "NewsStore", "CLibc"],
            path: "Benchmarks/NewsBench"
        ),
        // libFuzzer targets (scripts/fuzz.sh builds them with -sanitize=fuzzer,address);
        // built normally, a runner for saved inputs.
        .executableTarget(
            name: "newsdesk-fuzz",
            dependencies: ["NewsCore", "NewsFeeds"]
        ),
        // libxml2 (the system's; headers from libxml2-dev) for NewsFeeds' streaming XML
        // reader, loaded with dlopen on the first XML document rather than linked, so that a
        // start of newsdesk does not load it and ICU with it (include/CLibxml2.h, DECISIONS.md).
        .target(
            name: "CLibxml2",
            cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])]
        ),
        // Feed parsing (RSS, RDF, Atom, JSON Feed) into headlines: its own room, so that
        // NewsCore stays free of libxml2. No fetching, no storing.
        .target(
            name: "NewsFeeds",
            dependencies: ["NewsCore", "CLibxml2"],
            // The SAX callbacks update the reader's state a million times a feed; the
            // run-time exclusivity checks on that class cost a fifth of the parse (DECISIONS.md).
            // -I: CLibxml2's header includes libxml2's own.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked", "-Xcc", "-I/usr/include/libxml2"])]
        ),
        // Feeds over HTTP: what a fetch asks and answers and the plugin that fetches (HTTP/),
        // polling rules (Poll/) and the live source (Source/). Its own room, so that NewsFeeds
        // and NewsCore stay free of it; itself free of SwiftNIO, which is NewsHTTP's.
        .target(
            name: "NewsFetch",
            dependencies: ["NewsCore", "NewsFeeds"]
        ),
        // The HTTP client: async-http-client with newsdesk's rules (conditional GET,
        // redirects, limits, timeouts). newsdesk reaches it through the plugin below.
        .target(
            name: "NewsHTTP",
            dependencies: [
                "NewsFetch",
                "NewsCore",
                "NewsFeeds",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // NewsHTTP behind a C interface, as libNewsdeskHTTP.so: linked into newsdesk, the HTTP
        // stack slowed every start (DECISIONS.md). -Bsymbolic: its copies of NewsCore and the
        // rest bind to themselves, never to newsdesk's.
        .target(
            name: "NewsHTTPPlugin",
            dependencies: ["NewsHTTP", "NewsFetch"],
            linkerSettings: [.unsafeFlags(["-Xlinker", "-Bsymbolic"])]
        ),
        // The persistent store (issue 13): every headline, read and starred state, feed
        // state, retention and an FTS5 search index in one SQLite file (WAL). Synchronous,
        // Sendable; no UI.
        .target(
            name: "NewsStore",
            dependencies: [
                "NewsCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "NewsStoreTests",
            dependencies: [
                "NewsStore",
                "NewsCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "NewsFetchTests",
            dependencies: [
                "NewsFetch",
                "NewsHTTP",
                "NewsFeeds",
                "NewsCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "NewsFeedsTests",
            dependencies: [
                "NewsFeeds",
                "NewsCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "NewsCoreTests",
            dependencies: [
                "NewsCore",
                .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["ImportGolden"]
        ),
        .testTarget(
            name: "NewsUITests",
            dependencies: ["NewsUI", "NewsCore"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "NewsAppTests",
            dependencies: ["NewsApp", "NewsUI", "NewsCore", "NewsFeeds", "NewsFetch", "NewsStore"]
        ),
        .testTarget(
            name: "NewsConfigTests",
            dependencies: ["NewsConfig", "NewsUI", "NewsCore"]
        ),
        .testTarget(
            name: "NewsdeskTests",
            dependencies: [
                "NewsCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
