import AsteriskAMI

/// Event streams for calls that never answer (busy, no answer, congestion, failed), and the
/// events the simulator makes up itself (a hangup by action).
enum SyntheticStream {
    /// Newchannel, Hangup with `cause`, then `OriginateResponse` Failure with `reason`.
    static func failure(
        for request: OriginateRequest,
        channel: String,
        reason: Int,
        cause: Int,
        causeText: String,
        pauseBeforeResult: Bool
    ) -> [ScenarioStep] {
        var steps: [ScenarioStep] = [
            .event(AMIMessage([AMIField("Event", "Newchannel"), AMIField("Privilege", "call,all")] + channelFields(request, channel, state: 0))),
            .event(
                AMIMessage(
                    [AMIField("Event", "Hangup"), AMIField("Privilege", "call,all")] + channelFields(request, channel, state: 0)
                        + [AMIField("Cause", "\(cause)"), AMIField("Cause-txt", causeText)]
                )
            ),
        ]
        if pauseBeforeResult { steps.append(.pause) }
        steps.append(.event(originateFailure(request, reason: reason)))
        return steps
    }

    /// The `OriginateResponse` of a call that was not answered.
    static func originateFailure(_ request: OriginateRequest, reason: Int) -> AMIMessage {
        var fields = [AMIField("Event", "OriginateResponse"), AMIField("Privilege", "call,all")]
        if let actionID = request.actionID { fields.append(AMIField("ActionID", actionID)) }
        fields += [
            AMIField("Response", "Failure"), AMIField("Channel", request.dialString), AMIField("Context", request.context),
            AMIField("Exten", request.exten), AMIField("Reason", "\(reason)"), AMIField("Uniqueid", "<unknown>"),
            AMIField("CallerIDNum", request.callerIDNum), AMIField("CallerIDName", request.callerIDName),
        ]
        return AMIMessage(fields)
    }

    /// The `OriginateResponse` of an answered call.
    static func originateSuccess(_ request: OriginateRequest, channel: String) -> AMIMessage {
        var fields = [AMIField("Event", "OriginateResponse"), AMIField("Privilege", "call,all")]
        if let actionID = request.actionID { fields.append(AMIField("ActionID", actionID)) }
        fields += [
            AMIField("Response", "Success"), AMIField("Channel", channel), AMIField("Context", request.context),
            AMIField("Exten", request.exten), AMIField("Reason", "4"), AMIField("Uniqueid", request.channelID),
            AMIField("CallerIDNum", request.callerIDNum), AMIField("CallerIDName", request.callerIDName),
        ]
        return AMIMessage(fields)
    }

    /// What the shipped dialplan's `h` extension reports when the call is hung up mid-fax.
    static func droppedResult(_ request: OriginateRequest, channel: SimulatedChannel) -> (AMIMessage, database: String) {
        var fields = [AMIField("Event", "UserEvent"), AMIField("Privilege", "user,all")]
        fields += channel.fields(context: request.context, exten: "h", priority: "1")
        let error = "The call dropped prematurely"
        fields += [
            AMIField("UserEvent", "FaxbotResult"), AMIField("Job", request.variables["FAXBOT_JOB"] ?? ""),
            AMIField("Attempt", request.variables["FAXBOT_ATTEMPT"] ?? ""), AMIField("FaxStatus", "FAILED"),
            AMIField("FaxError", error), AMIField("FaxStatusString", error), AMIField("FaxPages", "0"),
            AMIField("FaxBitrate", "14400"), AMIField("FaxResolution", "0x0"), AMIField("FaxMode", "audio"),
            AMIField("RemoteStationID", ""), AMIField("HangupCause", "16"),
        ]
        return (AMIMessage(fields), "FAILED:0:\(error)")
    }

    /// A `Hangup` event for a live channel.
    static func hangup(_ channel: SimulatedChannel, cause: Int, causeText: String) -> AMIMessage {
        AMIMessage(
            [AMIField("Event", "Hangup"), AMIField("Privilege", "call,all")] + channel.fields()
                + [AMIField("Cause", "\(cause)"), AMIField("Cause-txt", causeText)]
        )
    }

    private static func channelFields(_ request: OriginateRequest, _ channel: String, state: Int) -> [AMIField] {
        [
            AMIField("Channel", channel), AMIField("ChannelState", "\(state)"),
            AMIField("ChannelStateDesc", SimulatedChannel.stateDescription(state)), AMIField("CallerIDNum", request.callerIDNum),
            AMIField("CallerIDName", request.callerIDName), AMIField("ConnectedLineNum", "<unknown>"),
            AMIField("ConnectedLineName", "<unknown>"), AMIField("Language", "en"), AMIField("AccountCode", ""),
            AMIField("Context", request.context), AMIField("Exten", request.exten), AMIField("Priority", "1"),
            AMIField("Uniqueid", request.channelID), AMIField("Linkedid", request.channelID),
        ]
    }
}
