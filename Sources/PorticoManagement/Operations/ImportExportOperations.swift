import Foundation
import PorticoModel
import PorticoStore

/// ImportApi, ReimportApi, ExportApi — waiting for PorticoModel's OpenAPI importer and exporter.
enum ImportExportOperations {
    static func register(into router: inout Router<Operation>) {
    }
}
