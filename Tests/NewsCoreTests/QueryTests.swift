import NewsCore
import PropertyBased
import Testing

@Suite("Query language")
struct QueryTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var query: String
        var title: String
        var source = "tech"
        var expected: Bool
        var testDescription: String { "\(query) ~ \(title) [\(source)] -> \(expected)" }
    }

    static let cases: [Case] = [
        // Substring, case-insensitive, Unicode-aware.
        Case(query: "apple", title: "Apple unveils new chip", expected: true),
        Case(query: "APPLE", title: "apple unveils new chip", expected: true),
        Case(query: "pple", title: "Apple unveils new chip", expected: true),
        Case(query: "banana", title: "Apple unveils new chip", expected: false),
        Case(query: "ZÜRICH", title: "Floods in Zürich", expected: true),
        Case(query: "zürich", title: "FLOODS IN ZÜRICH", expected: true),
        Case(query: "zurich", title: "Floods in Zürich", expected: false),
        Case(query: "東京", title: "Heatwave grips 東京 as records fall", expected: true),
        Case(query: "ΑΘΉΝΑ", title: "Talks resume in Αθήνα", expected: true),
        Case(query: "москва", title: "Summit opens in МОСКВА", expected: true),
        Case(query: "🚀", title: "Nimbus launch 🚀 delayed", expected: true),
        // AND of space-separated terms.
        Case(query: "apple chip", title: "Apple unveils new chip", expected: true),
        Case(query: "apple phone", title: "Apple unveils new chip", expected: false),
        Case(query: "  apple    chip  ", title: "Apple unveils new chip", expected: true),
        // Phrases.
        Case(query: "\"new chip\"", title: "Apple unveils new chip", expected: true),
        Case(query: "\"chip new\"", title: "Apple unveils new chip", expected: false),
        Case(query: "\"unveils  new\"", title: "Apple unveils new chip", expected: false),
        Case(query: "\"NEW CHIP\" apple", title: "Apple unveils new chip", expected: true),
        // Exclusion.
        Case(query: "-apple", title: "Apple unveils new chip", expected: false),
        Case(query: "-banana", title: "Apple unveils new chip", expected: true),
        Case(query: "chip -\"new chip\"", title: "Apple unveils new chip", expected: false),
        Case(query: "covid-19", title: "New covid-19 wave", expected: true),
        Case(query: "-(apple | banana)", title: "Banana prices rise", expected: false),
        // OR binds tighter than AND: goal | score final = (goal OR score) AND final.
        Case(query: "goal | score final", title: "Late goal decides the final", expected: true),
        Case(query: "goal | score final", title: "Record score in the final", expected: true),
        Case(query: "goal | score final", title: "Late goal decides the semi", expected: false),
        Case(query: "goal | score final", title: "Weather forecast for the final", expected: false),
        Case(query: "goal OR score final", title: "Record score in the final", expected: true),
        Case(query: "goal or score", title: "Late goal", expected: false),  // lowercase "or" is a word
        // AND and NOT in capitals are operators, as OR is: explicit AND, NOT x = -x.
        Case(query: "bank AND rates", title: "Bank raises rates", expected: true),
        Case(query: "bank AND rates", title: "Sandoval raises rates", expected: false),
        Case(query: "bank NOT rates", title: "Bank holds firm", expected: true),
        Case(query: "bank NOT rates", title: "Bank raises rates", expected: false),
        Case(query: "NOT (goal | cup)", title: "Rain delays play", expected: true),
        Case(query: "NOT (goal | cup)", title: "Cup draw made", expected: false),
        Case(query: "goal AND score | final", title: "Late goal in the final", expected: true),  // goal AND (score OR final)
        Case(query: "goal AND score | final", title: "Record score in the final", expected: false),
        Case(query: "bank and rates", title: "Bank raises rates", expected: false),  // lowercase "and" is a word
        Case(query: "bank not rates", title: "Bank raises rates", expected: false),  // and so is "not"
        Case(query: "\"AND\"", title: "Sandoval wins", expected: true),  // a quoted AND is a word
        Case(query: "\"NOT\" bank", title: "Bank raises rates", expected: false),
        Case(query: "a|b", title: "xbx", expected: true),
        Case(query: "breaking | update", title: "Breaking: Markets fall", expected: true),
        Case(query: "breaking | update", title: "Update: Markets fall", expected: true),
        Case(query: "breaking | update", title: "Markets fall", expected: false),
        // Parentheses group.
        Case(query: "(goal final) | cup", title: "Cup draw made", expected: true),
        Case(query: "(goal final) | cup", title: "Goal in the final", expected: true),
        Case(query: "(goal final) | cup", title: "Goal in the semi", expected: false),
        Case(query: "((a))", title: "cat", expected: true),
        // source: and src:, prefix-matched, excluded with -.
        Case(query: "source:tech", title: "Anything", source: "tech", expected: true),
        Case(query: "source:tech", title: "Anything", source: "sports", expected: false),
        Case(query: "src:sp", title: "Anything", source: "sports", expected: true),
        Case(query: "SOURCE:TECH", title: "Anything", source: "tech", expected: true),
        Case(query: "-source:sports", title: "Anything", source: "sports", expected: false),
        Case(query: "-source:sports", title: "Anything", source: "world", expected: true),
        Case(query: "source:tech | source:world goal", title: "goal!", source: "world", expected: true),
        Case(query: "source:tech | source:world goal", title: "goal!", source: "sports", expected: false),
        Case(query: "sources:tech", title: "sources:tech in title", source: "sports", expected: true),  // not a field
        // Lenient partial input.
        Case(query: "", title: "Anything", expected: true),
        Case(query: "   ", title: "Anything", expected: true),
        Case(query: "\"new ch", title: "Apple unveils new chip", expected: true),
        Case(query: "\"new ch", title: "Apple unveils new", expected: false),
        Case(query: "(goal | cup", title: "Cup draw", expected: true),
        Case(query: "goal |", title: "Late goal", expected: true),
        Case(query: "goal -", title: "Late goal", expected: true),
        Case(query: "source:", title: "Anything", expected: true),
        Case(query: "goal source:", title: "Late goal", expected: true),
        Case(query: "goal)", title: "Late goal", expected: true),
        Case(query: "\"\"", title: "Anything", expected: true),
    ]

    @Test("query matches title", arguments: cases)
    func matching(_ c: Case) {
        let query = Query(lenient: c.query)
        let headline = Headline(id: "1", source: c.source, title: c.title, published: Timestamp(milliseconds: 0))
        #expect(query.matches(headline) == c.expected)
        // The streaming matcher (--plain) gives the same answer.
        var matcher = HeadlineMatcher(query)
        #expect(matcher.matches(headline) == c.expected)
        // The history's scan gives the same answer.
        let history = History(capacity: 10, chunkSize: 4)
        history.append(headline)
        #expect(history.filter(query) == (c.expected ? [0] : []))
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var query: String
        var message: String
        var start: Int
        var length: Int
        var testDescription: String { query }
    }

    static let errors: [ErrorCase] = [
        ErrorCase(query: "source:", message: "'source:' needs a source name after it, as in source:NAME", start: 0, length: 7),
        ErrorCase(query: "goal src:", message: "'src:' needs a source name after it, as in source:NAME", start: 5, length: 4),
        ErrorCase(query: "goal |", message: "'|' needs something to match on its right", start: 5, length: 1),
        ErrorCase(query: "| goal", message: "'|' needs something to match on its left", start: 0, length: 1),
        ErrorCase(query: "goal OR", message: "'OR' needs something to match on its right", start: 5, length: 2),
        ErrorCase(query: "goal AND", message: "'AND' needs something to match on its right", start: 5, length: 3),
        ErrorCase(query: "AND goal", message: "'AND' needs something to match on its left", start: 0, length: 3),
        ErrorCase(query: "(goal AND) cup", message: "'AND' needs something to match on its right", start: 6, length: 3),
        ErrorCase(query: "goal | AND cup", message: "'|' needs something to match on its right", start: 5, length: 1),
        ErrorCase(query: "goal NOT", message: "'NOT' needs a term to exclude right after it", start: 5, length: 3),
        ErrorCase(query: "goal NOT | cup", message: "'NOT' needs a term to exclude right after it", start: 5, length: 3),
        ErrorCase(query: "goal - cup", message: "'-' needs a term to exclude right after it", start: 5, length: 1),
        ErrorCase(query: "goal)", message: "unmatched ')'", start: 4, length: 1),
        ErrorCase(query: "goal ()", message: "empty parentheses", start: 5, length: 1),
    ]

    @Test("meaningless queries are errors that point at the problem", arguments: errors)
    func strictErrors(_ e: ErrorCase) {
        #expect(throws: QueryError(message: e.message, start: e.start, length: e.length)) { try Query.parse(e.query) }
        // Lenient parsing skips the problem instead.
        #expect(Query(lenient: e.query).problems.count == 1)
    }

    @Test("unclosed quotes and parentheses are fine even strictly")
    func strictAcceptsImplicitClose() throws {
        #expect(try Query.parse("\"rate cut").matches(Headline(id: "1", source: "world", title: "Surprise rate cut", published: .init(milliseconds: 0))))
        #expect(try Query.parse("(a | b").root == .or([.term(QueryTerm("a")), .term(QueryTerm("b"))]))
    }

    @Test("the error pointer lines up under the problem, wide characters included")
    func pointer() throws {
        let error = try #require(throws: QueryError.self) { try Query.parse("東京 source:") }
        #expect(error.pointing(into: "東京 source:") == "  東京 source:\n       ^~~~~~~")
    }

    @Test("matches report where each term matched, for highlighting")
    func highlights() {
        let query = Query(lenient: "goal | zürich -cup \"late goal\"")
        let title = "Late GOAL in Zürich, goal again"
        let matches = query.termMatches(in: title)
        #expect(matches.map(\.term) == ["goal", "zürich", "late goal"])
        #expect(matches[0].ranges == [5..<9, 22..<26])
        #expect(matches[1].ranges == [13..<20])  // "Zürich" is 7 UTF-8 bytes
        #expect(matches[2].ranges == [0..<9])
        #expect(query.highlights(in: title) == [0..<9, 13..<20, 22..<26])
        let bytes = Array(title.utf8)
        #expect(String(decoding: bytes[13..<20], as: UTF8.self) == "Zürich")
    }

    @Test("source: terms are listed with where they are; those naming no known source (as a prefix) are problems")
    func unknownSources() throws {
        let query = try Query.parse("goal source:foo -src:SP (x | source:w)")
        #expect(query.sourceTerms.map(\.text) == ["foo", "SP", "w"])
        #expect(query.sourceTerms.map(\.start) == [5, 17, 29])
        let known = ["tech", "sports", "world"]
        #expect(query.unknownSources(among: known) == [QueryError(message: "no source 'foo'", start: 5, length: 10)])
        #expect(query.unknownSources(among: []).isEmpty)  // sources not known ahead: nothing to check
        #expect(try Query.parse("src:tech -source:sp").unknownSources(among: known).isEmpty)
        // The view's lenient parse reports them with the other problems; the term still matches nothing.
        let lenient = Query(lenient: "goal source:foo", sources: known)
        #expect(lenient.problems == [QueryError(message: "no source 'foo'", start: 5, length: 10)])
        #expect(!lenient.matches(Headline(id: "1", source: "tech", title: "goal", published: .init(milliseconds: 0))))
        #expect(Query(lenient: "goal source:te", sources: known).problems.isEmpty)
    }

    @Test("implies: typing one more character narrows")
    func implies() {
        func q(_ s: String) -> Query { Query(lenient: s) }
        #expect(q("goal").implies(q("goa")))
        #expect(q("goal final").implies(q("goal")))
        #expect(q("goal final").implies(q("goal fin")))
        #expect(q("(goal | cup)").implies(q("(goal | cu")))
        #expect(q("source:tec").implies(q("source:te")))
        #expect(q("x").implies(q("")))
        #expect(!q("goa").implies(q("goal")))
        #expect(!q("-goal").implies(q("-goa")))
        #expect(q("-goa").implies(q("-goal")))
        #expect(!q("goal | cup").implies(q("goal")))
        #expect(!q("").implies(q("goal")))
    }
}

@Suite("Query language: parsing never crashes, printing is stable")
struct QueryPrintingTests {
    /// Pieces that make every token kind, glued with or without spaces.
    static let pieces = ["goal", "Zürich", "a", "-", "-x", "|", "OR", "(", ")", "\"", "\"rate cut\"", "source:te",
                         "src:", "x-y", "AND", "NOT", "and", "not", "\"AND\"", "--", "é", "🚀", "\u{1B}[31m", "\t", " ", "  ", "::", "-(", "((", "\"\"",
                         "\u{0301}", "\u{059E}", "\u{0C}", "\u{200D}", "e\u{0301}"]

    @Test("parsing any mix of tokens never crashes; what parses prints as a fixed point (property)")
    func printThenParse() async {
        let tokens = Gen.element(of: Self.pieces).compactMap { $0 }.array(of: 0...12)
        let glue = Gen.element(of: ["", " "]).compactMap { $0 }.array(of: 12...12)
        await propertyCheck(count: 3000, input: tokens, glue) { tokens, glue in
            let text = zip(tokens, glue).map { $0 + $1 }.joined()
            _ = Query(lenient: text)  // never crashes, whatever the input
            guard let query = try? Query.parse(text) else { return }
            let printed = query.root.canonicalText
            let again = try? Query.parse(printed)
            #expect(again != nil, "\(text.debugDescription) printed as \(printed.debugDescription) does not parse")
            #expect(again?.root.canonicalText == printed, "\(text.debugDescription) printed as \(printed.debugDescription)")
            // And it means the same.
            let sample = Headline(id: "1", source: "tech", title: "goal in Zürich: rate cut x-y", published: .init(milliseconds: 0))
            #expect(again?.matches(sample) == query.matches(sample), "\(text.debugDescription) vs \(printed.debugDescription)")
        }
    }

    @Test("printing: groups, phrases, exclusions and sources", arguments: [
        ("a b | c", "a (b | c)"),
        ("(a b) c", "(a b) c"),
        ("a | (b | c)", "a | (b | c)"),
        ("-(a b) \"x y\"", "-(a b) \"x y\""),
        ("-(-a)", "-(-a)"),
        ("src:te -source:world", "source:te -source:world"),
        ("\"q\"-y", "\"q\" \"-y\""),
        ("\"q\"-\u{200D}", "\"q\" \"-\u{200D}\""),  // found by the property test: one character, two scalars
        ("bank AND rates NOT cut", "bank rates -cut"),
        ("NOT (a | b) and not", "-(a | b) and not"),
        ("\"AND\" \"NOT\" \"OR\"", "\"AND\" \"NOT\" \"OR\""),
    ])
    func printing(_ text: String, _ printed: String) throws {
        #expect(try Query.parse(text).root.canonicalText == printed)
    }

    @Test("a term spelled like an operator prints quoted, so that it stays a term")
    func operatorWords() throws {
        for word in ["AND", "OR", "NOT"] {
            let printed = QueryNode.and([.term(QueryTerm(word)), .term(QueryTerm("x"))]).canonicalText
            #expect(printed == "\"\(word)\" x")
            #expect(try Query.parse(printed).root == .and([.term(QueryTerm(word, isPhrase: true)), .term(QueryTerm("x"))]))
        }
    }
}
