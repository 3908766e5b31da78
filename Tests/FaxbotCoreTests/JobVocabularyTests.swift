import Testing

@testable import FaxbotCore

/// The names statuses, causes and events are stored and shown under.
@Suite struct JobVocabularyTests {
    @Test func statusNames() {
        #expect(JobStatus.allCases.map(\.rawValue) == ["queued", "in_progress", "delivered", "failed", "canceled"])
    }

    @Test(arguments: JobStatus.allCases)
    func onlyDeliveredFailedAndCanceledAreTerminal(status: JobStatus) {
        #expect(status.isTerminal == [.delivered, .failed, .canceled].contains(status))
    }

    @Test func failureCauseNames() {
        #expect(
            FailureCause.allCases.map(\.rawValue) == [
                "busy", "no_answer", "no_fax_tone", "line_error", "negotiation_failed", "document_rejected",
                "invalid_number", "transport_unavailable", "provider_rejected", "auth_error", "rate_limited",
                "timeout", "outcome_unknown", "canceled", "internal_error",
            ]
        )
    }

    @Test(arguments: FailureCause.allCases)
    func everyCauseHasItsOwnSentence(cause: FailureCause) {
        #expect(cause.explanation.hasSuffix("."))
        #expect(FailureCause.allCases.filter { $0.explanation == cause.explanation } == [cause])
    }

    @Test func eventNames() {
        #expect(
            JobEvent.allKinds.map(\.name) == [
                "claim", "prepared", "submitted", "progress", "completed", "failed", "cancel_requested",
                "canceled_by_transport", "requeue_unsent", "outcome_unknown",
            ]
        )
    }

    @Test(arguments: JobEvent.allKinds)
    func attemptReportsAreTheTransportsResults(event: JobEvent) {
        let reports: Set<String> = ["prepared", "submitted", "progress", "completed", "failed", "canceled_by_transport"]
        #expect(event.isAttemptReport == reports.contains(event.name))
    }

    @Test func notApplicableRejectionNamesTheEventAndStatus() {
        let rejection = Rejection.notApplicable(.inProgress, event: "claim")
        #expect(rejection.description == "ignored: claim does not apply to a in_progress job")
    }

    @Test func otherVocabularies() {
        #expect(Resolution.allCases.map(\.rawValue) == ["fine", "standard"])
        #expect(EventSource.allCases.map(\.rawValue) == ["api", "transport", "webhook", "reconciler", "operator", "dispatcher"])
        #expect(Scope.allCases.map(\.rawValue) == ["fax:send", "fax:read", "inbound:list", "inbound:read", "keys:manage"])
    }
}

@Suite struct FailureMessageTests {
    @Test(arguments: FailureCause.allCases)
    func onlyADocumentRejectionCarriesItsReason(cause: FailureCause) {
        let message = cause.message(detail: "page 2 is 2244 pixels wide")
        if cause == .documentRejected {
            #expect(message == "The document could not be prepared for faxing: page 2 is 2244 pixels wide.")
        } else {
            #expect(message == cause.explanation)
        }
        #expect(cause.message(detail: nil) == cause.explanation)
        #expect(cause.message(detail: "") == cause.explanation)
    }
}
