using ImapProxy.Protocol;

namespace ImapProxy.Upstream.Client.Wire;

/// <summary>
/// Turns the data part of an untagged response into generic values with ImapProtocol's reader, and reads typed
/// values out of them. Any grammar error becomes an <see cref="ImapProtocolException"/>.
/// </summary>
internal static class ResponseData
{
    private static readonly ImapParserOptions Options = ImapParserOptions.Responses;

    /// <summary>Values after the keyword (e.g. the FETCH list, the LIST attributes, delimiter and name).</summary>
    public static ImapValue[] Values(in ResponseLine line, ResponseFrame frame)
    {
        // TryReadArguments expects SP before each value: start at the space before the rest.
        var start = Math.Max(0, Math.Min(line.RestStart, frame.Length) - 1);
        var memory = frame.Memory[start..];
        if (memory.Length > 0 && memory.Span[0] != (byte)' ') return [];
        var reader = new ImapReader(memory, Options);
        var status = reader.TryReadArguments(out var values);
        return status == ParseStatus.Ok
            ? values
            : throw new ImapProtocolException($"malformed {line.Keyword} response ({(status == ParseStatus.NeedMoreData ? "truncated" : reader.ErrorMessage)}): {ResponseLine.Preview(frame.Span)}");
    }

    public static ImapProtocolException Malformed(string what, in ImapValue value)
        => new($"malformed {what}: {Truncate(value.ToString())}");

    private static string Truncate(string s) => s.Length > 100 ? s[..100] + "…" : s;

    public static uint Number(in ImapValue value, string what)
        => value.TryGetNumber(out var n) && n <= uint.MaxValue ? (uint)n : throw Malformed(what, value);

    public static ulong Number64(in ImapValue value, string what)
        => value.TryGetNumber(out var n) ? n : throw Malformed(what, value);

    public static string Text(in ImapValue value, string what)
        => value.AsString() ?? throw Malformed(what, value);

    public static string? NText(in ImapValue value, string what)
        => value.IsNil ? null : value.AsString() ?? throw Malformed(what, value);

    public static IReadOnlyList<string> Atoms(in ImapValue value, string what)
    {
        if (!value.IsList) throw Malformed(what, value);
        var items = value.Items;
        var result = new string[items.Count];
        for (var i = 0; i < result.Length; i++) result[i] = items[i].AsString() ?? throw Malformed(what, value);
        return result;
    }

    public static UidSet Set(in ImapValue value, string what)
        => UidSet.TryParse(value.AsString(), out var set) ? set : throw Malformed(what, value);

    /// <summary>date-time (RFC 3501 §9); null when absent or malformed (a bad date is not worth a broken connection).</summary>
    public static DateTimeOffset? DateTime(in ImapValue value)
        => value.IsString && ImapDate.TryParseDateTime(value.Bytes.Span, out var date) ? date : null;
}
