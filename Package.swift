// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Dropgate",
    products: [
        .executable(name: "dropgate", targets: ["dropgate"]),
        .library(name: "SigV4", targets: ["SigV4"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The CLI's `download --zip`: a ZIP (ZIP64, CRC-32, stored entries) written by a field-tested library.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "HTTPWire"
        ),
        .target(
            name: "SigV4",
            dependencies: ["HTTPWire", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .systemLibrary(name: "CEpoll"),
        .target(
            name: "HTTPServer",
            dependencies: ["CEpoll", "HTTPWire"]
        ),
        .target(
            name: "DropgateAPI",
            dependencies: ["HTTPWire"]
        ),
        .target(
            name: "EndToEnd",
            dependencies: [
                "DropgateAPI", "HTTPWire", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "OpenIDConnect",
            dependencies: [
                "HTTPWire", .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(name: "CSystemZlib"),
        .systemLibrary(name: "CMagic", pkgConfig: "libmagic", providers: [.apt(["libmagic-dev"])]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .target(
            name: "S3Common",
            dependencies: ["CSystemZlib", "HTTPWire", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "EmbeddedStore",
            dependencies: ["SigV4", "HTTPServer", "S3Common", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "CurlHTTP",
            dependencies: ["CCurl", "HTTPWire"]
        ),
        .target(
            name: "S3Client",
            dependencies: ["CurlHTTP", "HTTPWire", "SigV4", "S3Common", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "DropgateSettings",
            dependencies: ["HTTPWire", "SigV4"]
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "DropgateSettings", "CMagic", "CQRencode", "CurlHTTP", "DropgateAPI", "EndToEnd", "HTTPServer", "HTTPWire", "OpenIDConnect",
                "S3Client", "SigV4", "S3Common",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "DropgateClient",
            dependencies: [
                "CurlHTTP", "DropgateAPI", "EndToEnd", "HTTPWire", "S3Client", "S3Common", "SigV4",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "DropgateBench",
            dependencies: [
                "CurlHTTP", "DropgateAPI", "DropgateClient", "EmbeddedStore", "Gateway", "HTTPServer", "S3Client", "SigV4",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "dropgate",
            dependencies: [
                "DropgateBench",
                "DropgateClient",
                "CurlHTTP",
                "DropgateAPI",
                "HTTPWire",
                "SigV4",
                "S3Client",
                "HTTPServer",
                "EmbeddedStore",
                "S3Common",
                "Gateway",
                "EndToEnd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer"]
        ),
        .testTarget(
            name: "EmbeddedStoreTests",
            dependencies: ["EmbeddedStore", "S3Common", "SigV4"]
        ),
        .target(
            name: "S3Peers",
            dependencies: ["EmbeddedStore", "HTTPServer", "S3Client", "SigV4"],
            path: "Tests/S3Peers"
        ),
        .testTarget(
            name: "S3ClientTests",
            dependencies: [
                "S3Peers", "CurlHTTP", "S3Client", "EmbeddedStore", "HTTPServer", "S3Common", "SigV4",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "S3Peers", "CurlHTTP", "DropgateAPI", "DropgateClient", "EndToEnd", "Gateway", "EmbeddedStore", "HTTPServer", "S3Client", "SigV4",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "S3CommonTests",
            dependencies: ["S3Common"]
        ),
        .testTarget(
            name: "DropgateAPITests",
            dependencies: ["DropgateAPI", "HTTPWire"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["EndToEnd", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "OpenIDConnectTests",
            dependencies: [
                "OpenIDConnect", "HTTPWire", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "SigV4Tests",
            dependencies: ["SigV4", .product(name: "Crypto", package: "swift-crypto")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
