using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol;

/// <summary>Tagged, untagged or continuation.</summary>
public enum ImapResponseKind : byte
{
    /// <summary><c>tag OK|NO|BAD …</c>.</summary>
    Tagged,

    /// <summary><c>* …</c>.</summary>
    Untagged,

    /// <summary><c>+ …</c>.</summary>
    Continuation,
}

/// <summary>The condition of a status response.</summary>
public enum ImapStatus : byte
{
    /// <summary>Not a status response (untagged data or continuation).</summary>
    None,
#pragma warning disable CS1591 // the RFC's names
    Ok, No, Bad, Bye, Preauth,
#pragma warning restore CS1591
}

/// <summary>
/// A server response over one owned copy of its bytes. Status responses carry <see cref="Status"/>,
/// <see cref="Code"/> and <see cref="Text"/>; untagged data carries <see cref="Name"/>, <see cref="Number"/> (for
/// <c>* 12 EXISTS</c> / <c>* 3 FETCH</c>) and <see cref="Data"/>, to be read with the typed helpers
/// (see <c>FetchItems</c> and the other untagged helpers).
/// </summary>
public sealed partial class ImapResponse
{
    /// <summary>Tagged, untagged or continuation.</summary>
    public ImapResponseKind Kind { get; private init; }

    /// <summary>The tag of a tagged response; null otherwise.</summary>
    public string? Tag { get; private init; }

    /// <summary>The condition of a status response (OK, NO, BAD, BYE, PREAUTH).</summary>
    public ImapStatus Status { get; private init; }

    /// <summary>The response code, if any.</summary>
    public ResponseCode? Code { get; private init; }

    /// <summary>The human-readable text of a status response, or everything after "+ " of a continuation (e.g. a
    /// SASL challenge) without a code.</summary>
    public string Text { get; private init; } = "";

    /// <summary>The keyword of untagged data in upper case (EXISTS, FETCH, CAPABILITY, LIST…), or the status name.</summary>
    public string Name { get; private init; } = "";

    /// <summary>The number before the keyword (<c>* 12 EXISTS</c>); null when none.</summary>
    public uint? Number { get; private init; }

    /// <summary>The values after the keyword, parsed generically.</summary>
    public IReadOnlyList<ImapValue> Data { get; private init; } = [];

    /// <summary>All bytes of the response, final CRLF included.</summary>
    public ReadOnlyMemory<byte> Raw { get; private init; }

    /// <summary>True for an OK status response.</summary>
    public bool IsOk => Status == ImapStatus.Ok;

    /// <summary>Parses a complete frame from an <see cref="ImapFrameReader"/> of kind <see cref="FrameKind.Responses"/>.</summary>
    public static bool TryParse(in FrameResult frame, ImapParserOptions? options, out ImapResponse? response, out string? error)
    {
        if (frame.Status != FrameStatus.Complete) throw new ArgumentException("frame is not complete", nameof(frame));
        var raw = frame.StreamedLiterals is not null && frame.Frame.IsSingleSegment ? frame.Frame.First : frame.Frame.ToArray();
        return TryParse(raw, options, out response, out error);
    }

    /// <summary>Parses one whole response held in <paramref name="raw"/> (final CRLF included).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> raw, ImapParserOptions? options, out ImapResponse? response, out string? error)
    {
        options ??= ImapParserOptions.Responses;
        response = null;
        var reader = new ImapReader(new ReadOnlySequence<byte>(raw), options);
        if (!reader.TryPeek(out var first)) { error = "empty response"; return false; }
        if (first == '+')
        {
            reader.Skip(1);
            if (reader.TryPeekIs((byte)' ', out var sp) == ParseStatus.Ok && sp) reader.Skip(1);
            return TryReadRespText(raw, ref reader, ImapResponseKind.Continuation, null, ImapStatus.None, "", out response, out error);
        }
        ImapResponseKind kind;
        string? tag = null;
        if (first == '*') { kind = ImapResponseKind.Untagged; reader.Skip(1); }
        else
        {
            kind = ImapResponseKind.Tagged;
            if (reader.TryReadTag(out var t) != ParseStatus.Ok) return Fail(ref reader, "bad tag", out error);
            tag = t;
        }
        if (reader.TryReadSpace() != ParseStatus.Ok) return Fail(ref reader, "expected SP after the tag", out error);
        uint? number = null;
        if (reader.TryPeek(out var digit) && digit >= '0' && digit <= '9')
        {
            if (reader.TryReadNumber(out var n) != ParseStatus.Ok || reader.TryReadSpace() != ParseStatus.Ok)
                return Fail(ref reader, "bad message number", out error);
            number = n;
        }
        if (reader.TryReadAtom(out ReadOnlySequence<byte> nameBytes) != ParseStatus.Ok)
            return Fail(ref reader, "missing response keyword", out error);
        var status = number is null ? StatusOf(nameBytes) : ImapStatus.None;
        var name = status != ImapStatus.None ? status.ToString().ToUpperInvariant() : ResponseNames.Normalize(nameBytes);
        if (kind == ImapResponseKind.Tagged && status == ImapStatus.None)
            return Fail(ref reader, "a tagged response must be OK, NO or BAD", out error);
        if (status != ImapStatus.None)
        {
            if (reader.TryPeekIs((byte)' ', out var sp) == ParseStatus.Ok && sp) reader.Skip(1);
            return TryReadRespText(raw, ref reader, kind, tag, status, name, out response, out error);
        }
        if (reader.TryReadArguments(out var data) != ParseStatus.Ok)
            return Fail(ref reader, $"bad {name} data", out error);
        response = new ImapResponse { Kind = kind, Tag = tag, Name = name, Number = number, Data = data, Raw = raw };
        error = null;
        return true;
    }

    private static bool TryReadRespText(ReadOnlyMemory<byte> raw, ref ImapReader reader, ImapResponseKind kind,
        string? tag, ImapStatus status, string name, out ImapResponse? response, out string? error)
    {
        response = null;
        var rest = raw.Span[(int)reader.Consumed..];
        var end = rest.Length;
        while (end > 0 && (rest[end - 1] == '\n' || rest[end - 1] == '\r')) end--;
        rest = rest[..end];
        ResponseCode? code = null;
        if (rest.Length > 0 && rest[0] == '[')
        {
            var close = rest.IndexOf((byte)']');
            if (close < 0) { error = "unterminated response code"; return false; }
            if (!ResponseCode.TryParse(rest[1..close], out code, out error)) return false;
            rest = rest[(close + 1)..];
            if (rest.Length > 0 && rest[0] == ' ') rest = rest[1..];
        }
        response = new ImapResponse
        {
            Kind = kind, Tag = tag, Status = status, Name = name, Code = code, Text = Encoding.UTF8.GetString(rest), Raw = raw,
        };
        error = null;
        return true;
    }

    private static ImapStatus StatusOf(in ReadOnlySequence<byte> name) =>
        ImapReader.EqualsIgnoreCase(name, "OK") ? ImapStatus.Ok
        : ImapReader.EqualsIgnoreCase(name, "NO") ? ImapStatus.No
        : ImapReader.EqualsIgnoreCase(name, "BAD") ? ImapStatus.Bad
        : ImapReader.EqualsIgnoreCase(name, "BYE") ? ImapStatus.Bye
        : ImapReader.EqualsIgnoreCase(name, "PREAUTH") ? ImapStatus.Preauth
        : ImapStatus.None;

    private static bool Fail(ref ImapReader reader, string context, out string? error)
    {
        error = reader.ErrorMessage is null ? context : $"{context}: {reader.ErrorMessage}";
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Encoding.UTF8.GetString(Raw.Span).TrimEnd('\r', '\n');
}

/// <summary>Upper-cases untagged keywords, returning shared strings for the common ones.</summary>
internal static class ResponseNames
{
    private static readonly string[] Known =
    [
        "FETCH", "EXISTS", "RECENT", "EXPUNGE", "VANISHED", "FLAGS", "LIST", "LSUB", "XLIST", "STATUS", "SEARCH",
        "ESEARCH", "CAPABILITY", "ENABLED", "NAMESPACE", "ID", "SORT", "THREAD", "QUOTA", "QUOTAROOT", "METADATA",
    ];

    public static string Normalize(in ReadOnlySequence<byte> name)
    {
        foreach (var known in Known)
            if (ImapReader.EqualsIgnoreCase(name, known)) return known;
        return ImapReader.Ascii(name).ToUpperInvariant();
    }
}
