namespace ImapProxy.Server.Search;

/// <summary>
/// The RETURN options and ESEARCH response shared by SEARCH (ESEARCH, RFC 4731) and SORT (ESORT, RFC 5267 §3).
/// The numbers are given in result order: ascending for SEARCH, sort order for SORT, so MIN and MAX are the first
/// and last of the result and ALL keeps its order (as Dovecot 2.3 answers ESORT).
/// </summary>
internal static class EsearchResponse
{
    private static readonly string[] Supported = ["MIN", "MAX", "ALL", "COUNT"];

    /// <summary>Reads <c>RETURN (options)</c> when it comes next; null when absent. <c>RETURN ()</c> means ALL.</summary>
    public static List<string>? ReadReturnOptions(ArgumentCursor args, string command)
    {
        if (!args.TryKeyword("RETURN"))
        {
            return null;
        }
        var returns = args.List("RETURN options").Select(v => (v.AsString() ?? "").ToUpperInvariant()).ToList();
        if (returns.Any(r => !Supported.Contains(r)))
        {
            throw new CommandSyntaxException($"Unsupported {command} RETURN option (MIN MAX ALL COUNT are supported)");
        }
        if (returns.Count == 0)
        {
            returns.Add("ALL");
        }
        return returns;
    }

    /// <summary>Writes <c>* ESEARCH (TAG "t") [UID] [MIN n] [MAX n] [ALL set] [COUNT n] [MODSEQ m]</c>.</summary>
    public static void Write(ResponseWriter writer, string tag, bool byUid, IReadOnlyList<uint> numbers, List<string> returns, ulong? highestModSeq)
    {
        writer.Ascii($"* ESEARCH (TAG \"{tag}\")");
        if (byUid)
        {
            writer.Bytes(" UID"u8);
        }
        if (numbers.Count > 0)
        {
            if (returns.Contains("MIN"))
            {
                writer.Bytes(" MIN "u8).Number(numbers[0]);
            }
            if (returns.Contains("MAX"))
            {
                writer.Bytes(" MAX "u8).Number(numbers[^1]);
            }
            if (returns.Contains("ALL"))
            {
                writer.Bytes(" ALL "u8).Ascii(SequenceSetText.Format(numbers));
            }
        }
        if (returns.Contains("COUNT"))
        {
            writer.Bytes(" COUNT "u8).Number(numbers.Count);
        }
        if (highestModSeq is { } modSeq && numbers.Count > 0)
        {
            writer.Bytes(" MODSEQ "u8).Number((long)modSeq);
        }
        writer.EndLine();
    }
}
