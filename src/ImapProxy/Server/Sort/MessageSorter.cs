using ImapProxy.Protocol;
using ImapProxy.Store;

namespace ImapProxy.Server.Sort;

/// <summary>Orders messages by SORT criteria (RFC 5256 §3); full ties keep mailbox (sequence number) order.</summary>
internal static class MessageSorter
{
    public static List<SortMessage> Sort(IReadOnlyList<SortMessage> messages, IReadOnlyList<SortCriterion> criteria)
    {
        // Keys are computed once per message and criterion: numbers for dates and sizes, casemapped strings otherwise.
        var numbers = new long[criteria.Count][];
        var texts = new string[criteria.Count][];
        for (var c = 0; c < criteria.Count; c++)
        {
            if (IsNumeric(criteria[c].Key))
            {
                numbers[c] = new long[messages.Count];
                for (var i = 0; i < messages.Count; i++)
                {
                    numbers[c][i] = NumberOf(messages[i], criteria[c].Key);
                }
            }
            else
            {
                texts[c] = new string[messages.Count];
                for (var i = 0; i < messages.Count; i++)
                {
                    texts[c][i] = TextOf(messages[i], criteria[c].Key);
                }
            }
        }
        var order = new int[messages.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }
        Array.Sort(order, (a, b) =>
        {
            for (var c = 0; c < criteria.Count; c++)
            {
                var result = numbers[c] is { } n ? n[a].CompareTo(n[b]) : UnicodeCasemap.Comparer.Compare(texts[c][a], texts[c][b]);
                if (result != 0)
                {
                    return criteria[c].Reverse ? -result : result;
                }
            }
            return messages[a].SequenceNumber.CompareTo(messages[b].SequenceNumber);
        });
        var sorted = new List<SortMessage>(order.Length);
        foreach (var i in order)
        {
            sorted.Add(messages[i]);
        }
        return sorted;
    }

    /// <summary>The sort fields the criteria read (ARRIVAL and SIZE come with the message, not from its header).</summary>
    public static SortFieldParts PartsFor(IReadOnlyList<SortCriterion> criteria)
    {
        var parts = SortFieldParts.None;
        foreach (var criterion in criteria)
        {
            parts |= criterion.Key switch
            {
                SortKey.Date => SortFieldParts.Date,
                SortKey.Subject => SortFieldParts.Subject,
                SortKey.From => SortFieldParts.From,
                SortKey.To => SortFieldParts.To,
                SortKey.Cc => SortFieldParts.Cc,
                _ => SortFieldParts.None,
            };
        }
        return parts;
    }

    private static bool IsNumeric(SortKey key) => key is SortKey.Arrival or SortKey.Date or SortKey.Size;

    private static long NumberOf(SortMessage message, SortKey key) => key switch
    {
        SortKey.Arrival => message.Info.InternalDate.UtcTicks,
        SortKey.Date => message.SentDateUtcTicks,
        SortKey.Size => message.Info.Size,
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    /// <summary>The i;unicode-casemap key of a text criterion.</summary>
    private static string TextOf(SortMessage message, SortKey key) => key switch
    {
        SortKey.Subject => BaseSubject.Extract(message.Fields.Subject).Key, // not kept on the message: only the key is needed
        SortKey.From => UnicodeCasemap.Key(message.Fields.FromMailbox),
        SortKey.To => UnicodeCasemap.Key(message.Fields.ToMailbox),
        SortKey.Cc => UnicodeCasemap.Key(message.Fields.CcMailbox),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };
}
