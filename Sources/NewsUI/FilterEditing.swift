/// The filter editor's changes to its line, apart from which key asks for them (that is
/// the key table's business) and from re-filtering (``AppState``'s).
extension AppState.FilterEditor {
    mutating func insert(_ character: Character) {
        var characters = Array(text)
        characters.insert(character, at: cursor)
        text = String(characters)
        // What is typed may join the character before it (a vowel sign its consonant, a
        // regional indicator another): the cursor goes after what the inserted one became.
        cursor = String(characters[...cursor]).count
    }

    mutating func deleteBackward() {
        guard cursor > 0 else { return }
        var characters = Array(text)
        characters.remove(at: cursor - 1)
        text = String(characters)
        cursor -= 1
    }

    mutating func deleteForward() {
        var characters = Array(text)
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
        text = String(characters)
    }

    /// Ctrl-W: the spaces before the cursor, then the word before them.
    mutating func deleteWordBackward() {
        var characters = Array(text)
        var start = cursor
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        text = String(characters)
        cursor = start
    }

    mutating func clear() {
        text = ""
        cursor = 0
    }
}
