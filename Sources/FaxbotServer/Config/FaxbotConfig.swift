import FaxImaging
import FaxTransports
import FaxbotCore
import Foundation
import Logging

/// Everything the daemon reads at start, after layering defaults < faxbot.yaml < environment < flags.
/// See ``ConfigLoader`` for every key and docs/configuration.md for the operator's view.
public struct FaxbotConfig: Sendable, Equatable {
    public var listenHost = "127.0.0.1"
    public var listenPort = 8080
    public var dataDir = "./faxdata"
    /// Path of the SQLite file; defaults to `<data_dir>/faxbot.db`.
    public var databasePath: String?
    public var backend = "test"
    /// The bootstrap key (`API_KEY`): full access, compared in constant time.
    public var apiKey: String?
    /// Demand a key even on loopback when no key exists (v3 `REQUIRE_API_KEY`).
    public var requireAPIKey = false
    public var maxFileSizeMB = 10
    /// Secret for the HMAC of stored API keys (`FAXBOT_SESSION_PEPPER`).
    public var sessionPepper: String?
    public var retryPolicy = RetryPolicy()
    public var retryUncertain = false
    public var pollInterval: TimeInterval = 0.5
    public var callTimeout: TimeInterval = 1800
    public var drainTimeout: TimeInterval = 30
    public var testTransport = TestTransportConfiguration()
    public var documents = DocumentSettings()
    /// The Asterisk transport (`asterisk.*`); used when `backend` is `sip` or `asterisk.enabled` is set.
    public var asterisk = AsteriskSettings()
    public var asteriskEnabled = false
    /// The FreeSWITCH transport (`freeswitch.*`); used when `backend` is `freeswitch` or `freeswitch.enabled` is set.
    public var freeswitch = FreeSWITCHSettings()
    public var freeswitchEnabled = false
    /// `status_map_file`: provider codes → failure causes; nil: the first of ``ProviderStatusMap/searchPaths`` that exists.
    public var statusMapFile: String?
    /// `traits_file`: the transport traits; nil: the first of ``ProviderTraits/searchPaths`` that exists.
    public var traitsFile: String?
    /// `openapi_file`: the contract served at `/openapi.*`; nil: docs/openapi.yaml, then /usr/share/faxbot/openapi.yaml.
    public var openAPIFile: String?
    /// Requests per second per caller (`api.rate_limit_rps`); nil: no limit.
    public var rateLimitRPS: Double?
    /// Requests per minute per caller (`api.rate_limit_rpm`, v3's `MAX_REQUESTS_PER_MINUTE`); 0: no limit.
    public var rateLimitRPM = 0
    public var logLevel: Logger.Level = .info
    public var inbound = InboundSettings()

    public init() {}

    /// Whether the Asterisk transport runs.
    public var usesAsterisk: Bool { backend == "sip" || asteriskEnabled }
    /// Whether the FreeSWITCH transport runs.
    public var usesFreeSWITCH: Bool { backend == "freeswitch" || freeswitchEnabled }

    public var resolvedDatabasePath: String { databasePath ?? (dataDir as NSString).appendingPathComponent("faxbot.db") }
    public var spoolDir: String { (dataDir as NSString).appendingPathComponent("spool") }
    public var testJournalPath: String { (dataDir as NSString).appendingPathComponent("test-transport.journal") }
    /// Where the PBX writes received TIFFs (`inbound.spool_dir`; default `<data_dir>/incoming`).
    public var inboundSpoolDir: String { inbound.spoolDir ?? (dataDir as NSString).appendingPathComponent("incoming") }
    /// Where received faxes are kept as PDFs: `<data_dir>/inbound`.
    public var inboundStoreDir: String { (dataDir as NSString).appendingPathComponent("inbound") }
    public var maxFileSizeBytes: Int { maxFileSizeMB * 1024 * 1024 }
    /// The rate limit in force: `rate_limit_rps`, else `rate_limit_rpm / 60`, else none.
    public var rateLimitPerSecond: Double? { rateLimitRPS ?? (rateLimitRPM > 0 ? Double(rateLimitRPM) / 60 : nil) }

    /// Whether the listen address is loopback only.
    public var listensOnLoopbackOnly: Bool {
        ["127.0.0.1", "::1", "localhost"].contains(listenHost) || listenHost.hasPrefix("127.")
    }
}

/// How documents are prepared for the line (`documents.*`).
public struct DocumentSettings: Sendable, Equatable {
    public var paper: PaperSize = .letter
    /// Monospace TrueType font for text documents; Courier (Latin-1 only) when missing.
    public var textFont: String? = TextToPDF.defaultFontPath
    public var limits = ConversionLimits()
    /// The binary whose `internal-convert` command renders documents; nil: this binary.
    public var converterExecutable: String?

    public init() {}
}
