@testable import NewsCore
import Testing
@testable import NewsApp

/// The option rules moved out of the executable's `validate()` methods (the binary tests in
/// NewsdeskTests check that the messages reach stderr unchanged, with exit 64).
@Suite("Usage rules")
struct UsageRulesTests {
    @Test("--count 0 or more, --history at least 1, --start-time ISO 8601 or a date")
    func counts() {
        #expect(UsageRules.countProblem(nil) == nil)
        #expect(UsageRules.countProblem(0) == nil)
        #expect(UsageRules.countProblem(-1) == "--count must be 0 or more, not -1")
        #expect(UsageRules.historyProblem(1) == nil)
        #expect(UsageRules.historyProblem(0) == "--history must be at least 1, not 0")
        #expect(UsageRules.startTimeProblem(nil) == nil)
        #expect(UsageRules.startTimeProblem("2026-01-01") == nil)
        #expect(UsageRules.startTimeProblem("2026-01-01T09:00:00Z") == nil)
        #expect(UsageRules.startTimeProblem("yesterday")
            == "--start-time 'yesterday' is not an ISO 8601 time like 2026-01-01T09:00:00Z or a date like 2026-01-01")
    }

    @Test("--from: negative first, then not a time or a percentage")
    func from() {
        #expect(UsageRules.fromProblem(nil) == nil)
        #expect(UsageRules.fromProblem("90s") == nil)
        #expect(UsageRules.fromProblem("25%") == nil)
        #expect(UsageRules.fromProblem("-5s") == "--from must be 0 or more, not -5s")
        #expect(UsageRules.fromProblem("-x") == "--from must be 0 or more, not -x")
        #expect(UsageRules.fromProblem("101%") == "--from '101%' is not a time like 90s, 12m, 1h5m or a percentage like 25%")
    }

    @Test("--speed max needs an end when recording; --record - is refused")
    func recordingEnds() {
        #expect(UsageRules.recordProblem(speed: .max, count: nil, duration: nil)
            == "record --speed max needs --count or --duration: without them it writes as fast as it can, without end")
        #expect(UsageRules.recordProblem(speed: .max, count: 10, duration: nil) == nil)
        #expect(UsageRules.recordProblem(speed: .max, count: nil, duration: 0) == nil)
        #expect(UsageRules.recordProblem(speed: .factor(100), count: nil, duration: nil) == nil)
        #expect(UsageRules.liveRecordProblem(record: "a.jsonl", speed: .max, count: nil, duration: nil)
            == "--record at --speed max needs --count or --duration: without them it writes as fast as it can, without end")
        #expect(UsageRules.liveRecordProblem(record: nil, speed: .max, count: nil, duration: nil) == nil)
        #expect(UsageRules.liveRecordProblem(record: "a.jsonl", speed: .max, count: nil, duration: 1000) == nil)
        #expect(UsageRules.liveRecordProblem(record: "a.jsonl", speed: .factor(1), count: nil, duration: nil) == nil)
        #expect(UsageRules.liveRecordTargetProblem("-")?.hasPrefix("--record - would mix the recording") == true)
        #expect(UsageRules.liveRecordTargetProblem("a.jsonl") == nil)
        #expect(UsageRules.liveRecordTargetProblem(nil) == nil)
    }

    @Test("a duration keeps its sign and its text; 0 or more, or above 0")
    func durations() throws {
        let minus = try #require(DurationArgument("-5s"))
        #expect(minus.milliseconds == -5000)
        #expect(minus.description == "-5s")
        #expect(DurationArgument("1h5m")?.milliseconds == 3_900_000)
        #expect(DurationArgument("soon") == nil)
        #expect(minus.problem("--duration") == "--duration must be 0 or more, not -5s (a time like 90s, 12m, 1h5m, or seconds)")
        let zero = try #require(DurationArgument("0"))
        #expect(zero.problem("--duration") == nil)
        #expect(zero.problem("--stale-after", above: true)
            == "--stale-after must be above 0, not 0 (a time like 90s, 12m, 1h5m, or seconds)")
    }

    @Test("the simulated feed: --fault before --start-time; a given seed and start are kept in the header")
    func simulated() {
        #expect(SimulatedFeedOptions().problem == nil)
        #expect(SimulatedFeedOptions(startTime: "soon", fault: "nowhere=fail").problem?.hasPrefix("--fault: there is no source 'nowhere'") == true)
        #expect(SimulatedFeedOptions(startTime: "soon").problem?.hasPrefix("--start-time 'soon'") == true)
        let given = SimulatedFeedOptions(seed: 7, startTime: "2026-01-01")
        #expect(given.recordingHeader.seed == 7)
        #expect(given.recordingHeader.started == ISOTime.parse("2026-01-01T00:00:00Z"))
        #expect(given.recordingHeader.sources == SimulatedSource.defaultNames)
        // Without them: one seed and one start for the whole run.
        #expect(SimulatedFeedOptions().resolvedSeed == SimulatedFeedOptions().resolvedSeed)
        #expect(SimulatedFeedOptions().resolvedStart == SimulatedFeedOptions().resolvedStart)
    }

    @Test("--feed: --simulated needs it; with it no --speed or --start-time, and --seed/--fault need --simulated")
    func liveFeeds() {
        func problem(_ feeds: [String], simulated: Bool = false, speed: Speed = .factor(1),
                     _ feed: SimulatedFeedOptions = SimulatedFeedOptions()) -> String? {
            LiveFeeds.optionProblem(feeds: feeds, specs: LiveFeeds.specs(feeds), simulated: simulated, speed: speed, feed: feed)
        }
        #expect(problem([]) == nil)
        #expect(problem([], speed: .max, SimulatedFeedOptions(seed: 1)) == nil)
        #expect(problem([], simulated: true) == "--simulated goes with --feed (without --feed the simulated sources run anyway)")
        #expect(problem(["a.xml"]) == nil)
        #expect(problem(["-", "-"]) == "--feed - can be given once: standard input is one stream")
        #expect(problem(["a.xml"], speed: .max)
            == "--speed does not go with --feed: feeds arrive in real time (record them, then replay at any speed)")
        #expect(problem(["a.xml"], simulated: true, SimulatedFeedOptions(startTime: "2026-01-01"))
            == "--start-time does not go with --feed: feeds run on the real clock")
        #expect(problem(["a.xml"], SimulatedFeedOptions(seed: 1))
            == "--seed is for the simulated sources: add --simulated to run them beside --feed")
        #expect(problem(["a.xml"], SimulatedFeedOptions(fault: "tech=fail"))
            == "--fault is for the simulated sources: add --simulated to run them beside --feed")
        #expect(problem(["a.xml"], simulated: true, SimulatedFeedOptions(seed: 1, fault: "tech=fail")) == nil)
    }

    @Test("import's options: each problem in order, the table-only options by name, the request they make")
    func importArguments() {
        func problem(_ change: (inout ImportArguments) -> Void) -> String? {
            var arguments = ImportArguments(input: "in.csv", out: "out.jsonl")
            change(&arguments)
            return arguments.problem
        }
        #expect(problem { _ in } == nil)
        #expect(problem { $0.format = "xml" } == "--format must be csv or jsonl, not 'xml'")
        #expect(problem { $0.format = "JSONL" } == nil)
        #expect(problem { $0.name = "  " } == "--name cannot be empty")
        #expect(problem { $0.interval = "often" } == "--interval 'often' is not a duration like 2s, 500ms or 1m")
        #expect(problem { $0.interval = "25h" } == "--interval '25h' is over a day; events are spaced at most a day apart")
        #expect(problem { $0.interval = "2s"; $0.time = "date" } == "use --time or --interval, not both")
        #expect(problem { $0.renameSource = "sport" } == "--rename-source takes pairs like sport=sports,sci_tech=tech")
        #expect(problem { $0.title = "" } == "a field name cannot be empty")
        #expect(problem { $0.summary = "0" } == "column numbers start at 1, not 0")
        #expect(problem { $0.url = "3" } == nil)
        // The first problem wins.
        #expect(problem { $0.format = "xml"; $0.name = "" } == "--format must be csv or jsonl, not 'xml'")

        var arguments = ImportArguments(input: "in.txt", out: "out.jsonl", format: "JSONL", title: "2", url: "link",
                                        noHeader: true, renameSource: "a=b", only: "b, c", interval: "2s", strict: true)
        #expect(arguments.tableOptions == ["--title", "--url", "--no-header", "--rename-source", "--only", "--interval"])
        let request = arguments.request(readTime: Timestamp(milliseconds: 5))
        #expect(request.format == .jsonl)
        #expect(request.options.format == .jsonl)
        #expect(request.options.title == FieldSpec("2"))
        #expect(request.options.fields[.url] == FieldSpec("link"))
        #expect(request.options.fields[.summary] == nil)
        #expect(request.options.header == false)
        #expect(request.options.rename == ["a": "b"])
        #expect(request.options.only == ["b", "c"])
        #expect(request.options.interval == 2000)
        #expect(request.options.strict && !request.options.overwrite)
        #expect(request.tableOptions == arguments.tableOptions)
        #expect(request.readTime == Timestamp(milliseconds: 5))
        arguments = ImportArguments(input: "feed.xml", out: "out.jsonl", force: true, name: "kernel")
        #expect(arguments.tableOptions.isEmpty)
        #expect(arguments.request(readTime: Timestamp(milliseconds: 0)).format == nil)
        #expect(arguments.request(readTime: Timestamp(milliseconds: 0)).name == "kernel")
        #expect(arguments.request(readTime: Timestamp(milliseconds: 0)).options.overwrite)
    }
}
