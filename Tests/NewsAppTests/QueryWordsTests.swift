import NewsCore
import Testing
@testable import NewsApp

/// ``QueryWords``: which words every match of a query must contain (what `search` hands
/// the store's word index).
@Suite("Query words for the store's index")
struct QueryWordsTests {
    func words(_ text: String) throws -> [String] { QueryWords.required(try Query.parse(text)) }

    @Test("Top-level AND-ed words and phrases are required, in the order written")
    func andedTerms() throws {
        #expect(try words("kernel") == ["kernel"])
        #expect(try words("kernel release") == ["kernel", "release"])
        #expect(try words("kernel AND release") == ["kernel", "release"])
        #expect(try words("\"rate cut\" bank") == ["rate cut", "bank"])
    }

    @Test("Terms under OR or NOT, and source: terms, are not required; the rest of an AND still is")
    func notRequired() throws {
        #expect(try words("goal | score").isEmpty)
        #expect(try words("-bank").isEmpty)
        #expect(try words("NOT bank").isEmpty)
        #expect(try words("source:bbc").isEmpty)
        #expect(try words("").isEmpty)
        #expect(try words("rates -bank source:bbc (goal | score) final") == ["rates", "final"])
        #expect(try words("(a b) c") == ["c"])
    }

    @Test("Every headline the query matches contains every required word (checked on titles)")
    func requiredWordsAreNecessary() throws {
        let titles = ["Rates rise again", "Central bank cuts rates", "Rate cut expected", "Football final tonight", "Goal in the final"]
        for text in ["rate", "rates -bank", "\"rate cut\"", "final goal", "final | rate", "-rate final", "source:x final"] {
            let query = try Query.parse(text)
            let required = QueryWords.required(query).map { $0.lowercased() }
            for title in titles where query.matches(Headline(id: "1", source: "x", title: title, published: Timestamp(milliseconds: 0))) {
                for word in required { #expect(title.lowercased().contains(word), "\(text): \(title) lacks \(word)") }
            }
        }
    }
}
