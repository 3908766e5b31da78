import Foundation
import HTTPTypes
import Hummingbird
import Yams

/// `GET /openapi.yaml` and `GET /openapi.json`: the API contract (docs/openapi.yaml), no key needed.
struct OpenAPIController<Context: RequestContext> {
    let yaml: String
    let json: Data

    /// Where the contract is looked for, first found wins.
    static var searchPaths: [String] { ["docs/openapi.yaml", "/usr/share/faxbot/openapi.yaml"] }

    /// Loads the contract; nil when no file is found or it does not parse.
    static func load(paths: [String] = searchPaths) -> OpenAPIController? {
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else { continue }
            guard let object = try? Yams.load(yaml: text),
                let json = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            else { return nil }
            return OpenAPIController(yaml: text, json: json)
        }
        return nil
    }

    func addRoutes(to router: Router<Context>) {
        let yaml = ByteBuffer(string: yaml)
        let json = ByteBuffer(bytes: json)
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: yaml))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: json))
        }
    }
}
