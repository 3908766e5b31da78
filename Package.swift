// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "faxbot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "faxbot", targets: ["faxbot"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
    ],
    targets: [
        .executableTarget(
            name: "faxbot",
            dependencies: ["FaxbotCLI"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FaxbotCore",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CGhostscript", providers: [.apt(["libgs-dev"])]),
        .systemLibrary(name: "CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CSpanDSP", pkgConfig: "spandsp", providers: [.apt(["libspandsp-dev"])]),
        .target(name: "CFileStat"),
        .target(
            name: "FaxImaging",
            dependencies: ["FaxbotCore", "CGhostscript", "CTIFF", "CSpanDSP"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FaxbotStore",
            dependencies: [
                "FaxbotCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PBXSession",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AsteriskAMI",
            dependencies: [
                "PBXSession",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AMISimulator",
            dependencies: [
                "AsteriskAMI",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FreeSWITCHESL",
            dependencies: [
                "PBXSession",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ESLSimulator",
            dependencies: [
                "FreeSWITCHESL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FaxTransports",
            dependencies: [
                "FaxbotCore",
                "AsteriskAMI",
                "FreeSWITCHESL",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FaxbotServer",
            dependencies: [
                "FaxbotCore",
                "FaxbotStore",
                "FaxTransports",
                "FaxImaging",
                "AsteriskAMI",
                "FreeSWITCHESL",
                "CFileStat",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FaxbotCLI",
            dependencies: [
                "FaxbotServer",
                "FaxbotCore",
                "FaxbotStore",
                "FaxImaging",
                "FaxTransports",
                "AsteriskAMI",
                "AMISimulator",
                "FreeSWITCHESL",
                "ESLSimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FaxbotCoreTests",
            dependencies: ["FaxbotCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FaxImagingTests",
            dependencies: ["FaxImaging", "FaxbotCore", "CTIFF"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FaxbotStoreTests",
            dependencies: [
                "FaxbotStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AsteriskAMITests",
            dependencies: [
                "AsteriskAMI", "AMISimulator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FreeSWITCHESLTests",
            dependencies: [
                "FreeSWITCHESL", "ESLSimulator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FaxTransportsTests",
            dependencies: ["FaxTransports", "FaxbotCore", "AsteriskAMI", "FreeSWITCHESL"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FaxbotServerTests",
            dependencies: [
                "FaxbotServer",
                "FaxbotCore",
                "FaxbotStore",
                "FaxTransports",
                "FaxImaging",
                "AMISimulator",
                "ESLSimulator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
