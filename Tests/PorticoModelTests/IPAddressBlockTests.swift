import PorticoModel
import Testing

/// CIDR blocks and addresses as IAM's `IpAddress` / `NotIpAddress` conditions read them.
struct IPAddressBlockTests {
    static func address(_ text: String) -> [UInt8] {
        IPAddressBlock.parseAddress(text)!
    }

    @Test func ipv4BlocksMatchTheirPrefixOnly() {
        let block = IPAddressBlock("203.0.113.0/24")!
        #expect(block.contains(Self.address("203.0.113.0")))
        #expect(block.contains(Self.address("203.0.113.255")))
        #expect(!block.contains(Self.address("203.0.114.0")))
        let odd = IPAddressBlock("10.0.0.128/25")!
        #expect(odd.contains(Self.address("10.0.0.200")))
        #expect(!odd.contains(Self.address("10.0.0.127")))
        #expect(IPAddressBlock("0.0.0.0/0")!.contains(Self.address("198.51.100.7")))
    }

    @Test func aSingleAddressIsAFullLengthBlock() {
        let single = IPAddressBlock("127.0.0.1")!
        #expect(single.prefixLength == 32)
        #expect(single.contains(Self.address("127.0.0.1")))
        #expect(!single.contains(Self.address("127.0.0.2")))
        #expect(IPAddressBlock("2001:db8::1")!.prefixLength == 128)
    }

    @Test func ipv6BlocksAndCompression() {
        let block = IPAddressBlock("2001:db8::/32")!
        #expect(block.contains(Self.address("2001:db8:ffff::1")))
        #expect(block.contains(Self.address("2001:0db8:0000:0000:0000:0000:0000:0001")))
        #expect(!block.contains(Self.address("2001:db9::1")))
        #expect(IPAddressBlock("::1/128")!.contains(Self.address("::1")))
        #expect(Self.address("::") == Array(repeating: 0, count: 16))
    }

    @Test func familiesNeverMatchEachOther() {
        #expect(!IPAddressBlock("0.0.0.0/0")!.contains(Self.address("2001:db8::1")))
        #expect(!IPAddressBlock("::/0")!.contains(Self.address("127.0.0.1")))
    }

    @Test func ipv4MappedClientAddressesReadAsIPv4() {
        #expect(Self.address("::ffff:127.0.0.1") == [127, 0, 0, 1])
        #expect(IPAddressBlock("127.0.0.0/8")!.contains(Self.address("::ffff:127.0.0.1")))
    }

    @Test func malformedInputIsRefused() {
        for text in ["", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "a.b.c.d", "2001:db8::/129",
            "1::2::3", "12345::", "::g", "1.2.3.04444", "1:2:3:4:5:6:7:8:9", "localhost"]
        {
            #expect(IPAddressBlock(text) == nil, "\(text)")
        }
    }
}
