namespace ImapProxy.Protocol;

/// <summary>How a <see cref="ImapWriter"/> writes literals.</summary>
public enum LiteralMode : byte
{
    /// <summary>Client without LITERAL+: <c>{n}</c>, and the command is split so the client waits for <c>+</c>.</summary>
    Synchronizing,

    /// <summary>Client with LITERAL+ (RFC 7888): <c>{n+}</c> always.</summary>
    NonSynchronizing,

    /// <summary>Client with LITERAL-: <c>{n+}</c> up to 4096 bytes, <c>{n}</c> above.</summary>
    LiteralMinus,

    /// <summary>Server responses: <c>{n}</c>, never waited on.</summary>
    Response,
}

/// <summary>Choices of a <see cref="ImapWriter"/>.</summary>
public sealed record ImapWriterOptions
{
    /// <summary>A server writing responses to a plain IMAP4rev1 client.</summary>
    public static ImapWriterOptions Server { get; } = new() { Literals = LiteralMode.Response };

    /// <summary>A client writing commands to a server without LITERAL+.</summary>
    public static ImapWriterOptions Client { get; } = new();

    /// <summary>How literals are announced.</summary>
    public LiteralMode Literals { get; init; } = LiteralMode.Synchronizing;

    /// <summary>UTF8=ACCEPT / IMAP4rev2: UTF-8 may go in quoted strings and mailbox names are sent as UTF-8 rather
    /// than modified UTF-7.</summary>
    public bool Utf8 { get; init; }

    /// <summary>BINARY (RFC 3516) is available: data containing NUL is written as <c>~{n}</c>.</summary>
    public bool Binary { get; init; }

    /// <summary>Strings longer than this are written as literals (default 1024).</summary>
    public int MaxQuotedLength { get; init; } = 1024;
}
