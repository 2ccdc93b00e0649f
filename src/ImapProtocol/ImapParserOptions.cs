namespace ImapProxy.Protocol;

/// <summary>Hard limits and modes for parsing. Every limit, when hit, gives a protocol error, never an exception.</summary>
public sealed record ImapParserOptions
{
    /// <summary>Limits suited to a server parsing client commands.</summary>
    public static ImapParserOptions Default { get; } = new();

    /// <summary>Looser limits suited to a client parsing server responses (long SEARCH lines, big bodies).</summary>
    public static ImapParserOptions Responses { get; } = new()
    {
        MaxLineLength = 16 * 1024 * 1024,
        MaxLiteralSize = 1L << 30,
        MaxFrameSize = 1L << 31,
        MaxValues = 4 * 1024 * 1024,
    };

    /// <summary>Longest line, counting everything but literal bytes (default 64 KiB).</summary>
    public int MaxLineLength { get; init; } = 64 * 1024;

    /// <summary>Largest single literal accepted into memory (default 64 MiB).</summary>
    public long MaxLiteralSize { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest whole command or response held in memory, lines plus literals (default 128 MiB).</summary>
    public long MaxFrameSize { get; init; } = 128L * 1024 * 1024;

    /// <summary>Deepest nesting of parenthesized lists (default 100).</summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>Most values (atoms, strings, lists, at any depth) in one command or response (default 10,000).</summary>
    public int MaxValues { get; init; } = 10_000;

    /// <summary>Literals larger than this are not buffered: <see cref="ImapFrameReader"/> stops at their header
    /// with <see cref="FrameStatus.StreamLiteral"/> so the caller can stream the bytes elsewhere (APPEND to a
    /// file). Default: never.</summary>
    public long LiteralStreamThreshold { get; init; } = long.MaxValue;
}
