import NewsUI

/// The terminal is the program's screen: its drawing, input and restore already have
/// the protocol's shape.
extension Terminal: Screen {}
