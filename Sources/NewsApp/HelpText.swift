/// The long help of each command (`--help`'s discussion): kept here, beside the rules
/// the commands apply, so that the executable holds only its options and their wiring,
/// and tests can read the texts without running the binary.
public enum HelpText {
    /// `newsdesk --help`.
    public static let root = """
        Without a subcommand, newsdesk runs 'live': three simulated sources (tech, sports, \
        world) merged into one feed, shown in a full-screen view (press ? there for its \
        keys), or printed as lines with --plain or when stdout is not a terminal. \
        'newsdesk live --help' lists its options (--plain, --filter, --seed, --speed, \
        --count, --duration, --record...). Shell completions: \
        'newsdesk --generate-completion-script bash' (or zsh, fish).

        Exit status: 0 done (also when the reader of a pipe goes away), 1 an unexpected \
        failure or nothing found (search, export, feeds forget), 64 bad usage (for \
        example an invalid --filter or an unknown command), 65 \
        malformed data (a recording's header, a line with --strict, an import with no \
        usable row), 66 a missing, unreadable or empty input, 73 an output file that exists \
        (without --force) or cannot be created (a store too), 74 an output that cannot be \
        written, a store that is damaged or cannot be written, or a terminal the view \
        cannot start on, 69 HTTP feeds without the HTTP plugin \
        (libNewsdeskHTTP.so, built beside newsdesk), 78 a malformed subscriptions \
        or config file, 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP.
        """

    /// `newsdesk live --help`.
    public static let live = """
        Three simulated sources (tech, sports, world) run concurrently and are merged \
        into one feed. On a terminal it opens the full-screen view (press ? for its keys); \
        with --plain, or when stdout is not a terminal, each headline that passes --filter \
        is printed as a line.

        --feed URL polls a feed (RSS, Atom, JSON Feed) over HTTP(S) every --every; \
        --feed PATH watches a feed file (its items, then the new ones each time it \
        changes); --feed - reads standard input, one headline a line (JSON with a title, \
        or plain text). NAME=... names it; repeatable. Without --feed, the feeds of the \
        subscriptions file run ('newsdesk feeds --help'), else the simulated sources; \
        with --feed, those run only with --simulated.

        Real feeds are kept in the store ($XDG_DATA_HOME/newsdesk/newsdesk.db, or \
        --store FILE; --no-store keeps nothing): the view opens on what it holds, and \
        --plain prints only the headlines it had not seen (--all prints every one). The \
        simulated sources are stored only when --store is given. --keep 30d (or a count) \
        prunes it at the start; starred headlines stay.

        Query language (for --filter and the view's filter): words must all appear \
        (case-insensitive; a AND b says it outright); "a phrase" in quotes; -word (or NOT \
        word) excludes; a | b (or a OR b) matches either and binds tighter than AND; ( ) \
        groups; source:tech (or src:) keeps one source, -source:sports drops one. AND, OR \
        and NOT are operators only in capitals: and, or, not and "AND" are words.
        """

    /// `newsdesk record --help`.
    public static let record = """
        Every merged headline is written as one line as it arrives. Ctrl-C, SIGTERM or \
        SIGHUP stop the recording with the file flushed and complete; even after kill -9, \
        every line written survives whole. An existing file is kept unless --force. \
        --out - writes the recording to standard output. At --speed max a recording needs \
        --count or --duration (it would grow by gigabytes a minute).
        """

    /// `newsdesk replay --help`.
    public static let replay = """
        Events are played at their recorded times, scheduled against one start instant: \
        --speed divides the recorded gaps (0.5 plays at half speed), --idle-limit caps \
        them, --from starts later, --loop starts over. In the view: Space pauses, . steps \
        one headline while paused, + and - double and halve the speed, ] and [ jump a \
        minute forward and back. Malformed lines are reported with their line number and \
        skipped (or stop the replay with --strict, exit 65). FILE may be a pipe, a FIFO \
        or - (standard input): it is read once, as it arrives, and seeking works over what \
        has arrived; the duration is unknown until it ends, so --from takes a time there, \
        not a percentage (exit 64).
        """

    /// `newsdesk import --help`.
    public static let importing = """
        The input's kind is told from its content (--format csv or jsonl reads it as that). \
        A feed's items become headlines with their id, title, date, outlet, summary and link, \
        ordered by date; the source's name is a short name from the feed's title, or --name. \
        An item whose date cannot be read takes the time of the import and a note saying so. \
        A feed that breaks keeps the items before the break and says where. A file that is \
        not a feed (an HTML page, say) is exit 65, a missing one 66.

        For CSV and JSON Lines, fields are chosen by header name or 1-based column number (CSV), or by name (JSON \
        Lines); without --title/--time/--source, common names are tried (title, headline; \
        time, published, date, timestamp; source, category, section). Rows are sorted by \
        time (the original order breaks ties), with bounded memory for any input size. \
        A malformed row is reported with its line number and skipped (--strict: exit 65). \
        The recording is written under a temporary name next to --out and renamed into \
        place at the end: an import that imports nothing exits 65 and writes no file, and \
        Ctrl-C, SIGTERM or SIGHUP remove every temporary file (exit 130, 143, 129). An \
        --out that is the input (the same file, also through a link) is refused with 64, \
        even with --force; so are column numbers past the header's width and unknown \
        --time-format patterns, before any row is read.

        Examples:
          newsdesk import news.csv --out news.jsonl --title headline --time date \\
            --time-format '%m/%d/%Y %H:%M' --rename-source sport=sports,sci_tech=tech
          newsdesk import items.jsonl --out items.rec --time published \\
            --time-format epoch-ms --only tech,world
          newsdesk import feed.xml --out feed.jsonl --name kernel
          newsdesk import news.csv --store ~/news.db --title headline

        --store FILE adds the headlines to that store instead (each under its source as the \
        feed's name; 10,000 a transaction) and says how many were new: a recording is added \
        as it is; anything else is imported as above into a temporary recording first, or \
        into --out when given (then both are written).
        """

    /// `newsdesk export --help`.
    public static let export = """
        Writes the store's headlines, oldest first by published time, as a recording: its \
        offsets are the gaps between the published times, so replay plays them with their \
        real gaps (--idle-limit caps long ones). --since keeps those published that recently \
        (2d, 12h), --filter those matching a query, as replay --filter does. --out - writes to \
        standard output; an --out that exists is refused without --force (73). A store that \
        does not exist is 66 (none is made), one that cannot be read 73 or 74, nothing to \
        export 1 (no file written).

        Examples:
          newsdesk export --out week.jsonl --since 7d
          newsdesk export --out - --filter 'source:lwn kernel' | newsdesk replay - --plain --speed max
        """

    /// `newsdesk search --help`.
    public static let search = """
        Searches every stored headline with the query language of --filter, printing the \
        matches newest first as --plain does. The store's word index narrows the search: \
        each word or phrase that every match must contain (those AND-ed at the top of the \
        query, not under | or -) must start a word of the title (rate finds "Rates rise", \
        ate does not); the query then decides as --filter would. A query of only |, - or \
        source: terms reads every headline. Exit 0 with matches, 1 with none (as grep), 64 \
        for a bad query, 66 without a store, 73 or 74 for one that cannot be read.

        Examples:
          newsdesk search kernel release
          newsdesk search '"rate cut" -bank source:bbc' --limit 20
        """

    /// `newsdesk feeds --help`.
    public static let feeds = """
        The file is $XDG_CONFIG_HOME/newsdesk/feeds (~/.config/newsdesk/feeds by default), \
        one feed a line: URL-or-path [name] [every=10m] [tags...]; # starts a comment. \
        A malformed line is FILE:LINE: reason and exit 78.

        Examples:
          newsdesk feeds add https://lwn.net/headlines/rss lwn --every 30m --tag linux
          newsdesk feeds import ~/Downloads/subscriptions.opml
          newsdesk feeds export > newsdesk.opml
        """
}
