#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct QueryParser {
    enum TokenKind: Equatable {
        case word(String)
        case phrase(String)
        case source(String)
        /// `-`, or `NOT` (told apart by length, as `|` and `OR` are).
        case minus
        case or
        case and
        case open
        case close
        case end
    }

    struct Token {
        var kind: TokenKind
        var start: Int
        var length: Int
    }

    /// The words that are operators when written in capitals.
    static let operatorWords: Set<String> = ["AND", "OR", "NOT"]

    var tokens: [Token] = []
    var position = 0
    var problems: [QueryError] = []
    var sourceTerms: [Query.SourceTerm] = []

    init(text: String) {
        tokens = Self.tokenize(Array(text.unicodeScalars), problems: &problems)
    }

    /// Splits on Unicode scalars, not on characters: a combining mark after a space or a
    /// quote would otherwise join it into one character and change the query's meaning.
    static func tokenize(_ chars: [Unicode.Scalar], problems: inout [QueryError]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
        func isBreak(_ c: Unicode.Scalar) -> Bool { isSpace(c) || c == "(" || c == ")" || c == "|" || c == "\"" }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(chars[range])) }
        while i < chars.count {
            let c = chars[i]
            if isSpace(c) { i += 1; continue }
            switch c {
            case "(":
                tokens.append(Token(kind: .open, start: i, length: 1)); i += 1
            case ")":
                tokens.append(Token(kind: .close, start: i, length: 1)); i += 1
            case "|":
                tokens.append(Token(kind: .or, start: i, length: 1)); i += 1
            case "-" where tokens.last.map({ $0.start + $0.length < i || $0.kind == .open || $0.kind == .or || $0.kind == .minus }) ?? true:
                // A minus that starts a token excludes what follows; inside a word it is literal.
                if i + 1 == chars.count || isSpace(chars[i + 1]) {
                    problems.append(QueryError(message: "'-' needs a term to exclude right after it", start: i, length: 1))
                } else {
                    tokens.append(Token(kind: .minus, start: i, length: 1))
                }
                i += 1
            case "\"":
                var j = i + 1
                while j < chars.count, chars[j] != "\"" { j += 1 }
                let phrase = text((i + 1)..<j)
                // An unclosed quote runs to the end: closed implicitly.
                tokens.append(Token(kind: .phrase(phrase), start: i, length: min(j + 1, chars.count) - i))
                i = j + 1
            default:
                var j = i
                while j < chars.count, !isBreak(chars[j]) { j += 1 }
                let word = text(i..<j)
                if word == "OR" {
                    tokens.append(Token(kind: .or, start: i, length: 2))
                } else if word == "AND" {
                    tokens.append(Token(kind: .and, start: i, length: 3))
                } else if word == "NOT" {
                    tokens.append(Token(kind: .minus, start: i, length: 3))
                } else if let colon = word.firstIndex(of: ":"),
                    ["source", "src"].contains(word[..<colon].lowercased())
                {
                    tokens.append(Token(kind: .source(String(word[word.index(after: colon)...])), start: i, length: j - i))
                } else {
                    tokens.append(Token(kind: .word(word), start: i, length: j - i))
                }
                i = j
            }
        }
        tokens.append(Token(kind: .end, start: chars.count, length: 0))
        return tokens
    }

    var current: Token { tokens[position] }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    mutating func problem(_ message: String, _ token: Token) {
        problems.append(QueryError(message: message, start: token.start, length: max(1, token.length)))
    }

    mutating func parseQuery() -> QueryNode {
        var items: [QueryNode] = []
        while current.kind != .end {
            if current.kind == .close {
                problem("unmatched ')'", current)
                advance()
                continue
            }
            if skipAnd(after: items) { continue }
            if let node = parseOr() { items.append(node) }
        }
        return Self.and(items)
    }

    /// A sequence of ANDed items up to `)` or the end.
    mutating func parseGroup() -> QueryNode {
        var items: [QueryNode] = []
        while current.kind != .end && current.kind != .close {
            if skipAnd(after: items) { continue }
            if let node = parseOr() { items.append(node) }
        }
        return Self.and(items)
    }

    /// Steps over an explicit `AND` (items side by side are ANDed anyway), reporting one
    /// with nothing to match on one side. False if the current token is not `AND`.
    mutating func skipAnd(after items: [QueryNode]) -> Bool {
        guard current.kind == .and else { return false }
        let op = current
        advance()
        if items.isEmpty {
            problem("'AND' needs something to match on its left", op)
        } else if [.end, .close, .and, .or].contains(current.kind) {
            problem("'AND' needs something to match on its right", op)
        }
        return true
    }

    mutating func parseOr() -> QueryNode? {
        var alternatives: [QueryNode] = []
        if current.kind == .or {
            problem("'\(current.length == 2 ? "OR" : "|")' needs something to match on its left", current)
            advance()
        }
        if let first = parseUnary() { alternatives.append(first) }
        while current.kind == .or {
            let op = current
            advance()
            if [.end, .close, .or, .and].contains(current.kind) {
                problem("'\(op.length == 2 ? "OR" : "|")' needs something to match on its right", op)
                continue
            }
            if let next = parseUnary() { alternatives.append(next) }
        }
        switch alternatives.count {
        case 0: return nil
        case 1: return alternatives[0]
        default: return .or(alternatives)
        }
    }

    mutating func parseUnary() -> QueryNode? {
        if current.kind == .minus {
            let minus = current
            advance()
            if [.end, .close, .or, .and, .minus].contains(current.kind) {
                problem("'\(minus.length == 3 ? "NOT" : "-")' needs a term to exclude right after it", minus)
                return nil
            }
            guard let operand = parseUnary() else { return nil }
            if operand == .all { return nil }
            return .not(operand)
        }
        return parsePrimary()
    }

    mutating func parsePrimary() -> QueryNode? {
        let token = current
        switch token.kind {
        case .word(let w):
            advance()
            return .term(QueryTerm(w))
        case .phrase(let p):
            advance()
            if p.isEmpty {
                problem("empty quotes match nothing in particular", token)
                return nil
            }
            return .term(QueryTerm(p, isPhrase: true))
        case .source(let name):
            advance()
            if name.isEmpty {
                problem("'\(token.length > 4 ? "source:" : "src:")' needs a source name after it, as in source:NAME", token)
                return nil
            }
            sourceTerms.append(Query.SourceTerm(text: name, start: token.start, length: token.length))
            return .source(prefix: CaseFolding.fold(name), text: name)
        case .open:
            advance()
            let inner = parseGroup()
            if current.kind == .close {
                advance()
            }  // else: an unclosed parenthesis is closed implicitly at the end
            if inner == .all {
                problem("empty parentheses", token)
                return nil
            }
            return inner
        case .or, .and, .minus, .close, .end:
            // Handled by the callers; never reached for a well-formed token stream.
            advance()
            return nil
        }
    }

    static func and(_ items: [QueryNode]) -> QueryNode {
        switch items.count {
        case 0: return .all
        case 1: return items[0]
        default: return .and(items)
        }
    }
}
