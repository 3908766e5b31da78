import Crypto
import FaxbotCore
import FaxbotStore
import Foundation
import Logging

/// Options of a submission beyond the number and the file (v4's `POST /fax/send`).
struct SubmitOptions: Sendable, Equatable {
    var from: String?
    var header: String?
    var provider: String?
    var resolution: Resolution = .fine
}

/// The use cases behind the fax endpoints: validate, store durably, hand to the dispatcher.
struct JobService: Sendable {
    let store: any JobStore
    let spool: Spool
    let dispatcher: Dispatcher
    let clock: any WallClock
    let backend: String
    let policy: RetryPolicy
    let retryUncertain: Bool
    let logger: Logger
    var metrics: FaxbotMetrics? = nil

    /// Stores the upload and creates the job. Returns the job and whether it is new (false: an idempotent replay).
    func submit(
        to rawNumber: String,
        upload: MultipartUpload,
        options: SubmitOptions,
        idempotencyKey: String?,
        principal: Principal,
        route: String
    ) async throws(APIError) -> (Job, created: Bool) {
        guard let file = upload.file else { throw .missingFields(["file"]) }
        var committed: String?
        do {
            let number: PhoneNumber
            do {
                number = try PhoneNumber(parsing: rawNumber)
            } catch {
                throw APIError.badNumber(error.reason)
            }
            if let provider = options.provider, provider != backend {
                throw APIError.invalid("provider '\(provider)' is not configured; this daemon sends with '\(backend)'")
            }
            let kind: DocumentKind
            switch upload.sniffer.verdict {
            case .empty: throw APIError.emptyFile
            case .unsupported: throw APIError.unsupportedMediaType
            case .postScript: throw APIError.postScriptRefused
            case .kind(let found): kind = found
            }
            let pages = pageCount(kind, upload)
            let now = clock.now()
            let id = JobID.make()
            let relative = try await spool.commit(file, jobID: id, kind: kind)
            committed = relative
            let job = Job(
                id: id, to: number, pagesTotal: pages, maxAttempts: policy.maxAttempts, backend: backend,
                header: options.header, from: options.from, resolution: options.resolution, createdAt: now
            )
            let document = StoredDocument(
                jobID: id, kind: kind, sizeBytes: upload.fileSize, sha256: upload.fileSHA256, path: relative, createdAt: now
            )
            let claim = idempotencyKey.map {
                IdempotencyClaim(key: "\(principal.id):\($0)", fingerprint: fingerprint(route, number, upload, options))
            }
            let result: CreateResult
            do {
                result = try await store.create(NewJob(job: job, document: document, idempotency: claim))
            } catch {
                logger.error("could not store job", metadata: ["error": "\(error)"])
                throw APIError.unavailable("The job could not be stored; nothing was accepted")
            }
            switch result {
            case .created(let job):
                metrics?.job(provider: job.backend, status: job.status.rawValue)
                logger.info(
                    "fax accepted",
                    metadata: ["job": "\(job.id)", "to": "\(job.to.masked)", "pages": "\(pages.map(String.init) ?? "?")", "kind": "\(kind.rawValue)"]
                )
                dispatcher.wake()
                return (job, true)
            case .existing(let original):
                spool.remove(relative: relative)
                logger.info("idempotent replay", metadata: ["job": "\(original.id)"])
                return (original, false)
            case .keyConflict:
                spool.remove(relative: relative)
                throw APIError.idempotencyConflict
            }
        } catch let error as APIError {
            if let committed { spool.remove(relative: committed) } else { file.discard() }
            throw error
        } catch {
            if let committed { spool.remove(relative: committed) } else { file.discard() }
            throw .internal
        }
    }

    func job(id: String) async throws(APIError) -> Job {
        guard JobID.isValid(id) else { throw .jobNotFound }
        do {
            guard let job = try await store.job(id: id) else { throw APIError.jobNotFound }
            return job
        } catch let error as APIError {
            throw error
        } catch {
            throw .unavailable("The job store is not available")
        }
    }

    func list(_ query: JobQuery) async throws(APIError) -> JobPage {
        do {
            return try await store.list(query)
        } catch {
            throw .unavailable("The job store is not available")
        }
    }

    func events(id: String) async throws(APIError) -> [JobEventRecord] {
        _ = try await job(id: id)
        do {
            return try await store.events(jobID: id)
        } catch {
            throw .unavailable("The job store is not available")
        }
    }

    /// Cancels a queued job at once; asks the transport to hang up an in-flight one.
    func cancel(id: String) async throws(APIError) -> Job {
        _ = try await job(id: id)
        let context = TransitionContext(now: clock.now(), policy: policy, retryUncertain: retryUncertain)
        let result: ApplyResult
        do {
            result = try await store.apply(.cancelRequested, to: id, source: .api, context: context)
        } catch {
            throw .unavailable("The job store is not available")
        }
        switch result {
        case .notFound: throw .jobNotFound
        case .rejected(let job, _):
            throw .conflict("Job is already \(job.status.rawValue) and cannot be canceled")
        case .applied(let transition):
            if transition.job.status == .inProgress { await dispatcher.cancel(transition.job) }
            if transition.to.isTerminal { metrics?.jobEnded(transition.job) }
            logger.info("cancel requested", metadata: ["job": "\(id)", "status": "\(transition.job.status.rawValue)"])
            return transition.job
        }
    }

    /// An estimate until the document is prepared for the line; nil when unknown (TIFF).
    private func pageCount(_ kind: DocumentKind, _ upload: MultipartUpload) -> Int? {
        switch kind {
        case .tiff:
            return nil
        case .pdf:
            return upload.pdfPages.pages
        case .text:
            let text = String(decoding: upload.head, as: UTF8.self)
            let pages = PageEstimator.textPages(in: text)
            // Text beyond the first MiB is estimated by size.
            let extra = max(0, upload.fileSize - upload.head.count) / (80 * 60)
            return pages + extra
        }
    }

    private func fingerprint(_ route: String, _ number: PhoneNumber, _ upload: MultipartUpload, _ options: SubmitOptions) -> String {
        let parts = [
            route, number.rawValue, upload.fileSHA256, options.from ?? "", options.header ?? "", options.provider ?? "",
            options.resolution.rawValue,
        ]
        return SHA256.hash(data: Data(parts.joined(separator: "\u{1F}").utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
