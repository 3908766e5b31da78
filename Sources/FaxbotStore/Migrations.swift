import GRDB

/// The only place the schema changes. Each migration runs once, in order, in a transaction.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-jobs-events-documents-idempotency-keys") { db in
            try db.execute(
                sql: """
                    CREATE TABLE jobs (
                        id TEXT PRIMARY KEY NOT NULL,
                        to_number TEXT NOT NULL,
                        status TEXT NOT NULL,
                        failure_cause TEXT,
                        error TEXT,
                        pages_total INTEGER,
                        pages_sent INTEGER NOT NULL DEFAULT 0,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        max_attempts INTEGER NOT NULL,
                        backend TEXT NOT NULL,
                        provider_sid TEXT,
                        header TEXT,
                        from_number TEXT,
                        resolution TEXT NOT NULL,
                        cancel_requested INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        completed_at INTEGER
                    );
                    CREATE INDEX jobs_status_due ON jobs(status, next_attempt_at, created_at);
                    CREATE INDEX jobs_created ON jobs(created_at, id);

                    CREATE TABLE job_events (
                        job_id TEXT NOT NULL REFERENCES jobs(id),
                        seq INTEGER NOT NULL,
                        event TEXT NOT NULL,
                        from_status TEXT,
                        to_status TEXT NOT NULL,
                        cause TEXT,
                        source TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        detail TEXT,
                        PRIMARY KEY (job_id, seq)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER job_events_append_only_update BEFORE UPDATE ON job_events
                    BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END;
                    CREATE TRIGGER job_events_append_only_delete BEFORE DELETE ON job_events
                    BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END;

                    CREATE TABLE documents (
                        job_id TEXT PRIMARY KEY NOT NULL REFERENCES jobs(id),
                        kind TEXT NOT NULL,
                        size_bytes INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        path TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );

                    CREATE TABLE idempotency_keys (
                        key TEXT PRIMARY KEY NOT NULL,
                        fingerprint TEXT NOT NULL,
                        job_id TEXT NOT NULL REFERENCES jobs(id),
                        created_at INTEGER NOT NULL
                    );

                    CREATE TABLE api_keys (
                        key_id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        secret_hmac TEXT NOT NULL,
                        scopes TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_used_at INTEGER,
                        revoked_at INTEGER
                    );
                    """
            )
        }
        migrator.registerMigration("v2-inbound") { db in
            try db.execute(
                sql: """
                    CREATE TABLE inbound_faxes (
                        id TEXT PRIMARY KEY NOT NULL,
                        transport TEXT NOT NULL,
                        call_id TEXT NOT NULL,
                        from_number TEXT,
                        to_number TEXT,
                        status TEXT NOT NULL CHECK (status IN ('received', 'partial', 'failed')),
                        pages INTEGER NOT NULL DEFAULT 0,
                        size_bytes INTEGER NOT NULL DEFAULT 0,
                        sha256 TEXT,
                        pdf_path TEXT,
                        mailbox TEXT NOT NULL,
                        error TEXT,
                        remote_station_id TEXT,
                        received_at INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL,
                        retention_until INTEGER,
                        pdf_deleted_at INTEGER,
                        UNIQUE (transport, call_id)
                    );
                    CREATE INDEX inbound_faxes_received ON inbound_faxes(received_at, id);
                    CREATE INDEX inbound_faxes_retention ON inbound_faxes(retention_until)
                        WHERE pdf_path IS NOT NULL AND pdf_deleted_at IS NULL;
                    """
            )
        }
        return migrator
    }
}
