import NewsCore

/// After `replay --plain`: each malformed line of `name` (the first 100), as import
/// reports them, then how many more and how many in all, and a cut-off last line.
public func warnProblems(_ report: ReplayReport, in name: String) {
    for problem in report.firstProblems { warn("\(problem)") }
    if report.malformed > report.firstProblems.count { warn("... and \(report.malformed - report.firstProblems.count) more") }
    if report.malformed > 0 {
        warn("\(name): skipped \(CountText.counted(report.malformed, "malformed line", "malformed lines"))")
    }
    if let truncated = report.truncatedLastLine { warn("warning: \(truncated)") }
}
