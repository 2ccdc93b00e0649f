using System.Buffers;

namespace ImapProxy.Protocol;

public ref partial struct ImapReader
{
    /// <summary>sequence-set (RFC 3501 §9; also uid-set and "$" of RFC 5182).</summary>
    public ParseStatus TryReadSequenceSet(out SequenceSet set)
    {
        set = SequenceSet.SavedResult;
        var s = TryReadToken(ImapChars.SequenceSet, "sequence set", out var token);
        if (s != ParseStatus.Ok) return s;
        byte[]? rented = null;
        var span = token.IsSingleSegment
            ? token.FirstSpan
            : (rented = ArrayPool<byte>.Shared.Rent((int)token.Length)).AsSpan(0, (int)token.Length);
        try
        {
            if (rented is not null) token.CopyTo(rented);
            if (!SequenceSet.TryParse(span, out var parsed, out var error)) return Fail(error!);
            set = parsed!;
            return ParseStatus.Ok;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
