// swift-tools-version:6.1
import PackageDescription

// Targets are layered by dependency weight (see docs/ARCHITECTURE.md): the model and the runtime
// compiler import no NIO; storage drivers stay out of the data plane; the executable is thin.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    // Release builds: specialise generics across Portico's own modules (the router and runtime
    // types are used by the data plane), and skip dynamic exclusivity checks, which a profile of
    // the proxy path showed at a few percent of its CPU time. Measured in Benchmarks/README.md.
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Portico",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portico", targets: ["portico"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .target(
            name: "PorticoModel",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoSchema",
            dependencies: ["PorticoModel"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoStore",
            dependencies: ["PorticoModel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoAuth",
            dependencies: ["PorticoModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // JSON Web Token verification for JWT and Cognito authorizers: pure (no NIO), so it is
        // unit-tested alone. `_CryptoExtras` brings RSA (PKCS#1 v1.5 and PSS); `Crypto` the EC curves.
        .target(
            name: "PorticoJWT",
            dependencies: [
                "PorticoModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoObservability",
            dependencies: [],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoTemplates",
            dependencies: ["PorticoModel"],
            swiftSettings: swiftSettings
        ),
        // The system's zlib (Debian: zlib1g-dev), which inflates Lambda deployment packages.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "PorticoLambda",
            dependencies: [
                "PorticoModel",
                "PorticoAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoRuntime",
            dependencies: ["PorticoModel", "PorticoObservability", "PorticoTemplates", "PorticoSchema", "PorticoJWT", "PorticoAuth"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoDataPlane",
            dependencies: [
                "PorticoModel",
                "PorticoRuntime",
                "PorticoSchema",
                "PorticoTemplates",
                "PorticoObservability",
                "PorticoLambda",
                "PorticoJWT",
                "PorticoAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                "CZlib",
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoManagement",
            dependencies: [
                "PorticoModel",
                "PorticoStore",
                "PorticoAuth",
                "PorticoObservability",
                "PorticoLambda",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                "CZlib",
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PorticoServer",
            dependencies: [
                "PorticoModel",
                "PorticoStore",
                "PorticoRuntime",
                "PorticoDataPlane",
                "PorticoManagement",
                "PorticoObservability",
                "PorticoAuth",
                "PorticoLambda",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "portico",
            dependencies: [
                "PorticoServer",
                "PorticoLambda",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PorticoModelTests", dependencies: ["PorticoModel"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PorticoSchemaTests", dependencies: ["PorticoSchema", "PorticoModel"], exclude: ["Cases"],
            swiftSettings: swiftSettings),
        .testTarget(name: "PorticoStoreTests", dependencies: ["PorticoStore", "PorticoModel"], swiftSettings: swiftSettings),
        .testTarget(name: "PorticoManagementTests", dependencies: ["PorticoManagement", "PorticoStore", "PorticoModel", "PorticoAuth", "PorticoLambda", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .testTarget(
            name: "PorticoAuthTests", dependencies: ["PorticoAuth", "PorticoModel"], exclude: ["Vectors"], swiftSettings: swiftSettings),
        .testTarget(name: "PorticoRuntimeTests", dependencies: ["PorticoRuntime", "PorticoModel", "PorticoTemplates", "PorticoSchema", "PorticoAuth"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PorticoDataPlaneTests",
            dependencies: [
                "PorticoDataPlane", "PorticoLambda", "PorticoRuntime", "PorticoModel", "PorticoAuth", "PorticoJWT",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                "PorticoObservability",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PorticoTemplatesTests", dependencies: ["PorticoTemplates", "PorticoModel"], exclude: ["Conformance"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PorticoLambdaTests",
            dependencies: [
                "PorticoLambda", "PorticoAuth", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PorticoJWTTests",
            dependencies: [
                "PorticoJWT", "PorticoModel", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PorticoObservabilityTests", dependencies: ["PorticoObservability"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
