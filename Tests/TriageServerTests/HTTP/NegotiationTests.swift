import Testing
@testable import TriageServer

struct NegotiationTests {
    @Test func theMostSpecificRangeGivesTheWeight() {
        let accept = AcceptHeader("text/*;q=0.3, text/csv;q=0.7, */*;q=0.1, application/json")
        #expect(accept.weight(of: "text/csv") == 0.7)
        #expect(accept.weight(of: "text/plain") == 0.3)
        #expect(accept.weight(of: "image/png") == 0.1)
        #expect(accept.weight(of: "application/json") == 1)
        #expect(accept.preferred(of: ["application/json", "text/csv"]) == "application/json")
    }

    @Test func noHeaderAcceptsEverythingAndTiesGoToTheFirstOffered() {
        #expect(AcceptHeader(nil).preferred(of: ["application/json", "text/csv"]) == "application/json")
        #expect(AcceptHeader("*/*").preferred(of: ["application/json", "text/csv"]) == "application/json")
        #expect(AcceptHeader("TEXT/CSV").preferred(of: ["application/json", "text/csv"]) == "text/csv")
    }

    @Test func malformedOrRefusedRangesAcceptNothing() {
        #expect(AcceptHeader("text/csv;q=0").preferred(of: ["application/json", "text/csv"]) == nil)
        #expect(AcceptHeader("text/csv;q=2, text/csv;q=abc, application/json").preferred(of: ["text/csv", "application/json"]) == "application/json")
        // Nothing readable at all is no preference, as if the header were absent.
        #expect(AcceptHeader("csv, /, ;").preferred(of: ["application/json", "text/csv"]) == "application/json")
        let long = Array(repeating: "x/y", count: 1000).joined(separator: ",") + ",text/csv"
        #expect(AcceptHeader(long).ranges.count == AcceptHeader.maximumRanges)
    }

    @Test func csvQuotesOnlyWhatRFC4180Requires() {
        var csv = CSVText()
        csv.record(["plain", "a,b", "say \"hi\"", "two\nlines", "cr\r\nlf", ""])
        #expect(csv.text == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\nlf\",\r\n")
    }
}
