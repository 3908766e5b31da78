/// Every setting: its key in faxbot.yaml (dotted for nesting), its environment names (v3 names
/// first where v3 had one) and its command-line flag.
struct ConfigKey: Sendable {
    let yaml: String
    let environment: [String]
    let flag: String?

    init(_ yaml: String, env: [String], flag: String? = nil) {
        self.yaml = yaml
        self.environment = env
        self.flag = flag
    }

    static let all: [ConfigKey] = [
        ConfigKey("listen", env: ["FAXBOT_LISTEN"], flag: "listen"),
        ConfigKey("data_dir", env: ["FAX_DATA_DIR"], flag: "data-dir"),
        ConfigKey("database_url", env: ["DATABASE_URL"]),
        ConfigKey("backend", env: ["FAX_BACKEND"], flag: "backend"),
        ConfigKey("api_key", env: ["API_KEY"]),
        ConfigKey("require_api_key", env: ["REQUIRE_API_KEY"]),
        ConfigKey("max_file_size_mb", env: ["MAX_FILE_SIZE_MB"]),
        ConfigKey("traits_file", env: ["FAXBOT_TRAITS_FILE"]),
        ConfigKey("openapi_file", env: ["FAXBOT_OPENAPI_FILE"]),
        ConfigKey("api.rate_limit_rps", env: ["FAXBOT_RATE_LIMIT_RPS"]),
        ConfigKey("api.rate_limit_rpm", env: ["MAX_REQUESTS_PER_MINUTE"]),
        ConfigKey("session_pepper", env: ["FAXBOT_SESSION_PEPPER"]),
        ConfigKey("log_level", env: ["FAXBOT_LOG_LEVEL", "LOG_LEVEL"]),
        ConfigKey("dispatcher.max_attempts", env: ["FAXBOT_MAX_ATTEMPTS"]),
        ConfigKey("dispatcher.retry_uncertain", env: ["FAXBOT_RETRY_UNCERTAIN"]),
        ConfigKey("dispatcher.poll_interval_ms", env: ["FAXBOT_POLL_INTERVAL_MS"]),
        ConfigKey("dispatcher.call_timeout_seconds", env: ["FAXBOT_CALL_TIMEOUT_SECONDS"]),
        ConfigKey("dispatcher.drain_timeout_seconds", env: ["FAXBOT_DRAIN_TIMEOUT_SECONDS"]),
        ConfigKey("test_transport.step_delay_ms", env: ["FAXBOT_TEST_DELAY_MS"]),
        ConfigKey("test_transport.max_concurrent_calls", env: ["FAXBOT_TEST_CONCURRENCY"]),
        ConfigKey("test_transport.document_format", env: ["FAXBOT_TEST_DOCUMENT_FORMAT"]),
        ConfigKey("documents.paper", env: ["FAXBOT_PAPER"]),
        ConfigKey("documents.text_font", env: ["FAXBOT_TEXT_FONT"]),
        ConfigKey("documents.convert_timeout_seconds", env: ["FAXBOT_CONVERT_TIMEOUT_SECONDS"]),
        ConfigKey("documents.convert_memory_mb", env: ["FAXBOT_CONVERT_MEMORY_MB"]),
        ConfigKey("documents.convert_workers", env: ["FAXBOT_CONVERT_WORKERS"]),
        ConfigKey("status_map_file", env: ["FAXBOT_STATUS_MAP_FILE"]),
        ConfigKey("asterisk.enabled", env: ["FAXBOT_ASTERISK_ENABLED"]),
        ConfigKey("asterisk.host", env: ["ASTERISK_AMI_HOST"]),
        ConfigKey("asterisk.port", env: ["ASTERISK_AMI_PORT"]),
        ConfigKey("asterisk.username", env: ["ASTERISK_AMI_USERNAME"]),
        ConfigKey("asterisk.secret", env: ["ASTERISK_AMI_PASSWORD"]),
        ConfigKey("asterisk.auth", env: ["FAXBOT_ASTERISK_AUTH"]),
        ConfigKey("asterisk.context", env: ["FAXBOT_ASTERISK_CONTEXT"]),
        ConfigKey("asterisk.dial_template", env: ["FAXBOT_ASTERISK_DIAL"]),
        ConfigKey("asterisk.max_channels", env: ["FAXBOT_ASTERISK_MAX_CHANNELS"]),
        ConfigKey("asterisk.routes", env: ["FAXBOT_ASTERISK_ROUTES"]),
        ConfigKey("asterisk.station_id", env: ["FAX_LOCAL_STATION_ID"]),
        ConfigKey("asterisk.caller_name", env: ["FAXBOT_ASTERISK_CALLER_NAME"]),
        ConfigKey("asterisk.header", env: ["FAX_HEADER"]),
        ConfigKey("asterisk.ecm", env: ["FAXBOT_ASTERISK_ECM"]),
        ConfigKey("asterisk.ring_timeout_seconds", env: ["FAXBOT_ASTERISK_RING_TIMEOUT_SECONDS"]),
        ConfigKey("asterisk.call_limit_seconds", env: ["FAXBOT_ASTERISK_CALL_LIMIT_SECONDS"]),
        ConfigKey("asterisk.outbound_dir", env: ["FAXBOT_ASTERISK_OUTBOUND_DIR"]),
        ConfigKey("freeswitch.enabled", env: ["FAXBOT_FREESWITCH_ENABLED"]),
        ConfigKey("freeswitch.host", env: ["FREESWITCH_ESL_HOST"]),
        ConfigKey("freeswitch.port", env: ["FREESWITCH_ESL_PORT"]),
        ConfigKey("freeswitch.password", env: ["FREESWITCH_ESL_PASSWORD"]),
        ConfigKey("freeswitch.gateway", env: ["FREESWITCH_GATEWAY_NAME"]),
        ConfigKey("freeswitch.dial_template", env: ["FAXBOT_FREESWITCH_DIAL"]),
        ConfigKey("freeswitch.max_channels", env: ["FAXBOT_FREESWITCH_MAX_CHANNELS"]),
        ConfigKey("freeswitch.routes", env: ["FAXBOT_FREESWITCH_ROUTES"]),
        ConfigKey("freeswitch.station_id", env: ["FREESWITCH_CALLER_ID_NUMBER", "FAX_LOCAL_STATION_ID"]),
        ConfigKey("freeswitch.header", env: ["FAX_HEADER"]),
        ConfigKey("freeswitch.t38", env: ["FREESWITCH_T38_ENABLE"]),
        ConfigKey("freeswitch.ecm", env: ["FAXBOT_FREESWITCH_ECM"]),
        ConfigKey("freeswitch.ring_timeout_seconds", env: ["FAXBOT_FREESWITCH_RING_TIMEOUT_SECONDS"]),
        ConfigKey("freeswitch.call_limit_seconds", env: ["FAXBOT_FREESWITCH_CALL_LIMIT_SECONDS"]),
        ConfigKey("freeswitch.outbound_dir", env: ["FAXBOT_FREESWITCH_OUTBOUND_DIR"]),
        ConfigKey("inbound.enabled", env: ["INBOUND_ENABLED"]),
        ConfigKey("inbound.retention_days", env: ["INBOUND_RETENTION_DAYS"]),
        ConfigKey("inbound.token_ttl_minutes", env: ["INBOUND_TOKEN_TTL_MINUTES"]),
        ConfigKey("inbound.secret", env: ["ASTERISK_INBOUND_SECRET"]),
        ConfigKey("inbound.spool_dir", env: ["FAXBOT_INBOUND_DIR"]),
        ConfigKey("inbound.mailboxes", env: ["FAXBOT_INBOUND_MAILBOXES"]),
    ]

    /// Backends v3 knew that this build cannot drive yet.
    static let plannedBackends: Set<String> = ["phaxio", "sinch", "signalwire", "humblefax"]
}
