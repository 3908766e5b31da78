import FaxbotCore
import Hummingbird

/// `GET /admin/providers` (scope `keys:manage`): every transport's traits and settings schema,
/// and whether this daemon has it configured.
struct AdminController<Context: RequestContext> {
    let auth: Authenticator
    let traits: ProviderTraits?
    let configured: Set<String>

    func addRoutes(to router: Router<Context>) {
        router.get("/admin/providers") { request, _ in
            _ = try await auth.require(.keysManage, request.headers)
            guard let traits else { throw APIError.unavailable("No transport traits file was found (see traits_file)") }
            let items: [AnyJSON] = traits.transports.keys.sorted().compactMap { id in
                guard let transport = traits.transports[id] else { return nil }
                return .object([
                    "id": .string(id),
                    "configured": .bool(configured.contains(id)),
                    "name": .string(transport.name),
                    "kind": .string(transport.kind),
                    "document_format": .string(transport.documentFormat),
                    "outbound": .bool(transport.outbound),
                    "inbound": .bool(transport.inbound),
                    "auth": .object(["methods": .array(transport.auth.methods.map { .string($0) })]),
                    "webhook": .object([
                        "verification": .string(transport.webhook.verification.rawValue),
                        "path": transport.webhook.path.map { .string($0) } ?? .null,
                        "verify_header": transport.webhook.verifyHeader.map { .string($0) } ?? .null,
                    ]),
                    "regions": .array(transport.regions.map { .string($0) }),
                    "config_schema": transport.config,
                ])
            }
            return try JSONResponse.make(["providers": AnyJSON.array(items)])
        }
    }
}
