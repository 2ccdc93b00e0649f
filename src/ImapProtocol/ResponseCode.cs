using System.Buffers;
using System.Text;

namespace ImapProxy.Protocol;

/// <summary>Known response codes (RFC 3501, 9051, 4315, 7162, 5530, 5182, 3516); anything else is <see cref="Unknown"/>.</summary>
public enum ResponseCodeKind
{
    /// <summary>A code this library does not interpret; see <see cref="ResponseCode.Name"/> and <see cref="ResponseCode.Text"/>.</summary>
    Unknown,
#pragma warning disable CS1591 // the names are the RFC's own
    Alert, BadCharset, Capability, Parse, PermanentFlags, ReadOnly, ReadWrite, TryCreate, UidNext, UidValidity, Unseen,
    AppendUid, CopyUid, UidNotSticky, HighestModSeq, NoModSeq, Modified, Closed, NotSaved, UnknownCte, HasChildren,
    Unavailable, AuthenticationFailed, AuthorizationFailed, Expired, PrivacyRequired, ContactAdmin, NoPerm, InUse,
    ExpungeIssued, Corruption, ServerBug, ClientBug, Cannot, Limit, OverQuota, AlreadyExists, NonExistent,
    CompressionActive, Referral,
#pragma warning restore CS1591
}

/// <summary>A response code: the bracketed part of a status response, e.g. <c>[UIDVALIDITY 3857529045]</c>.</summary>
public sealed class ResponseCode
{
    private static readonly Dictionary<string, ResponseCodeKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ALERT"] = ResponseCodeKind.Alert, ["BADCHARSET"] = ResponseCodeKind.BadCharset,
        ["CAPABILITY"] = ResponseCodeKind.Capability, ["PARSE"] = ResponseCodeKind.Parse,
        ["PERMANENTFLAGS"] = ResponseCodeKind.PermanentFlags, ["READ-ONLY"] = ResponseCodeKind.ReadOnly,
        ["READ-WRITE"] = ResponseCodeKind.ReadWrite, ["TRYCREATE"] = ResponseCodeKind.TryCreate,
        ["UIDNEXT"] = ResponseCodeKind.UidNext, ["UIDVALIDITY"] = ResponseCodeKind.UidValidity,
        ["UNSEEN"] = ResponseCodeKind.Unseen, ["APPENDUID"] = ResponseCodeKind.AppendUid,
        ["COPYUID"] = ResponseCodeKind.CopyUid, ["UIDNOTSTICKY"] = ResponseCodeKind.UidNotSticky,
        ["HIGHESTMODSEQ"] = ResponseCodeKind.HighestModSeq, ["NOMODSEQ"] = ResponseCodeKind.NoModSeq,
        ["MODIFIED"] = ResponseCodeKind.Modified, ["CLOSED"] = ResponseCodeKind.Closed,
        ["NOTSAVED"] = ResponseCodeKind.NotSaved, ["UNKNOWN-CTE"] = ResponseCodeKind.UnknownCte,
        ["HASCHILDREN"] = ResponseCodeKind.HasChildren, ["UNAVAILABLE"] = ResponseCodeKind.Unavailable,
        ["AUTHENTICATIONFAILED"] = ResponseCodeKind.AuthenticationFailed,
        ["AUTHORIZATIONFAILED"] = ResponseCodeKind.AuthorizationFailed, ["EXPIRED"] = ResponseCodeKind.Expired,
        ["PRIVACYREQUIRED"] = ResponseCodeKind.PrivacyRequired, ["CONTACTADMIN"] = ResponseCodeKind.ContactAdmin,
        ["NOPERM"] = ResponseCodeKind.NoPerm, ["INUSE"] = ResponseCodeKind.InUse,
        ["EXPUNGEISSUED"] = ResponseCodeKind.ExpungeIssued, ["CORRUPTION"] = ResponseCodeKind.Corruption,
        ["SERVERBUG"] = ResponseCodeKind.ServerBug, ["CLIENTBUG"] = ResponseCodeKind.ClientBug,
        ["CANNOT"] = ResponseCodeKind.Cannot, ["LIMIT"] = ResponseCodeKind.Limit,
        ["OVERQUOTA"] = ResponseCodeKind.OverQuota, ["ALREADYEXISTS"] = ResponseCodeKind.AlreadyExists,
        ["NONEXISTENT"] = ResponseCodeKind.NonExistent, ["COMPRESSIONACTIVE"] = ResponseCodeKind.CompressionActive,
        ["REFERRAL"] = ResponseCodeKind.Referral,
    };

    /// <summary>The kind of code.</summary>
    public ResponseCodeKind Kind { get; private init; }

    /// <summary>The code's name as sent, upper-cased.</summary>
    public string Name { get; private init; } = "";

    /// <summary>The raw text after the name (empty when none); for unknown codes this is all there is.</summary>
    public string Text { get; private init; } = "";

    /// <summary>The number of UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ; the UIDVALIDITY of APPENDUID/COPYUID.</summary>
    public ulong Number { get; private init; }

    /// <summary>The UIDs of APPENDUID, the destination UIDs of COPYUID, the set of MODIFIED.</summary>
    public SequenceSet? Set { get; private init; }

    /// <summary>The source UIDs of COPYUID.</summary>
    public SequenceSet? SourceSet { get; private init; }

    /// <summary>The flags of PERMANENTFLAGS, the capabilities of CAPABILITY, the charsets of BADCHARSET.</summary>
    public IReadOnlyList<string> Values { get; private init; } = [];

    /// <summary>Parses the inside of <c>[…]</c>: name, then optional SP and arguments.</summary>
    public static bool TryParse(ReadOnlySpan<byte> inside, out ResponseCode? code, out string? error)
    {
        code = null;
        error = null;
        var sp = inside.IndexOf((byte)' ');
        var nameBytes = sp < 0 ? inside : inside[..sp];
        var args = sp < 0 ? [] : inside[(sp + 1)..];
        if (nameBytes.IsEmpty || nameBytes.IndexOfAnyExcept(ImapChars.Atom) >= 0)
        {
            error = "bad response code name";
            return false;
        }
        var name = Encoding.ASCII.GetString(nameBytes).ToUpperInvariant();
        var kind = Kinds.GetValueOrDefault(name, ResponseCodeKind.Unknown);
        var text = Encoding.UTF8.GetString(args);
        var parsed = kind switch
        {
            ResponseCodeKind.UidNext or ResponseCodeKind.UidValidity or ResponseCodeKind.Unseen
                or ResponseCodeKind.HighestModSeq => ParseNumber(args, kind, name, text, out error),
            ResponseCodeKind.AppendUid or ResponseCodeKind.CopyUid => ParseUidCode(args, kind, name, text, out error),
            ResponseCodeKind.Modified => ParseSet(args, name, text, out error),
            ResponseCodeKind.PermanentFlags or ResponseCodeKind.Capability or ResponseCodeKind.BadCharset =>
                ParseWords(args, kind, name, text, out error),
            _ => new ResponseCode { Kind = kind, Name = name, Text = text },
        };
        code = parsed;
        return parsed is not null;
    }

    private static ResponseCode? ParseNumber(ReadOnlySpan<byte> args, ResponseCodeKind kind, string name, string text, out string? error)
    {
        var reader = new ImapReader(new ReadOnlySequence<byte>(WithEnd(args)));
        if (reader.TryReadNumber64(out var n) != ParseStatus.Ok || reader.TryReadCrlf() != ParseStatus.Ok)
        {
            error = $"[{name}] needs a number";
            return null;
        }
        error = null;
        return new ResponseCode { Kind = kind, Name = name, Text = text, Number = n };
    }

    private static ResponseCode? ParseUidCode(ReadOnlySpan<byte> args, ResponseCodeKind kind, string name, string text, out string? error)
    {
        var reader = new ImapReader(new ReadOnlySequence<byte>(WithEnd(args)));
        SequenceSet? source = null;
        var ok = reader.TryReadNzNumber(out var validity) == ParseStatus.Ok && reader.TryReadSpace() == ParseStatus.Ok;
        if (ok && kind == ResponseCodeKind.CopyUid)
            ok = reader.TryReadSequenceSet(out source) == ParseStatus.Ok && reader.TryReadSpace() == ParseStatus.Ok;
        SequenceSet? set = null;
        ok = ok && reader.TryReadSequenceSet(out set) == ParseStatus.Ok && reader.TryReadCrlf() == ParseStatus.Ok;
        if (!ok)
        {
            error = $"malformed [{name}]";
            return null;
        }
        error = null;
        return new ResponseCode { Kind = kind, Name = name, Text = text, Number = validity, Set = set, SourceSet = source };
    }

    private static ResponseCode? ParseSet(ReadOnlySpan<byte> args, string name, string text, out string? error)
    {
        if (!SequenceSet.TryParse(args, out var set, out error)) return null;
        return new ResponseCode { Kind = ResponseCodeKind.Modified, Name = name, Text = text, Set = set };
    }

    private static ResponseCode? ParseWords(ReadOnlySpan<byte> args, ResponseCodeKind kind, string name, string text, out string? error)
    {
        var reader = new ImapReader(new ReadOnlySequence<byte>(WithEnd(args)));
        var words = new List<string>();
        error = null;
        if (args.IsEmpty) return new ResponseCode { Kind = kind, Name = name, Text = text, Values = words };
        var s = reader.TryReadArgumentsAfterFirst(out var values);
        if (s != ParseStatus.Ok)
        {
            error = $"malformed [{name}]: {reader.ErrorMessage}";
            return null;
        }
        foreach (var v in values)
        {
            if (v.IsList) foreach (var item in v.Items) words.Add(item.AsString() ?? "");
            else words.Add(v.AsString() ?? "");
        }
        return new ResponseCode { Kind = kind, Name = name, Text = text, Values = words };
    }

    private static byte[] WithEnd(ReadOnlySpan<byte> args)
    {
        var b = new byte[args.Length + 2];
        args.CopyTo(b);
        b[^2] = (byte)'\r';
        b[^1] = (byte)'\n';
        return b;
    }

    /// <inheritdoc/>
    public override string ToString() => Text.Length == 0 ? Name : $"{Name} {Text}";
}
