import PorticoObservability
import Testing

struct CommonLogTimeStringTests {
    @Test func formatsAsTheAccessLogDoes() {
        #expect(CommonLogTime.string(epochMillis: 1_720_635_321_799) == "10/Jul/2024:18:15:21 +0000")
        #expect(CommonLogTime.string(epochMillis: 0) == "01/Jan/1970:00:00:00 +0000")
    }
}
