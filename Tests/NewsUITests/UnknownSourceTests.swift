import NewsCore
import NewsUI
import Testing

@Suite("The filter names an unknown source")
struct UnknownSourceTests {
    @Test("typing source:foo says \"no source 'foo'\" on the status line; a known prefix says nothing")
    func unknownSourceWhileTyping() {
        var state = makeState(count: 10)
        state.apply(.key(.char("/")))
        state.type("source:foo")
        #expect(state.userQuery.problems.map(\.message) == ["no source 'foo'"])
        let status = Renderer.render(state).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(status.contains("no source 'foo'"), "\(status)")
        #expect(state.visibleCount == 0)
        state.apply(.key(.ctrl("u")))
        state.type("src:Spo")
        #expect(state.userQuery.problems.isEmpty)
        #expect(state.visibleCount > 0)
    }
}
