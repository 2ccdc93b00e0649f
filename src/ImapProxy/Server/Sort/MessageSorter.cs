using ImapProxy.Protocol;
using ImapProxy.Store;

namespace ImapProxy.Server.Sort;

/// <summary>Orders messages by SORT criteria (RFC 5256 §3); full ties keep mailbox (sequence number) order.</summary>
internal static class MessageSorter
{
    public static List<SortMessage> Sort(IEnumerable<SortMessage> messages, IReadOnlyList<SortCriterion> criteria)
    {
        var keys = messages.Select(m => (Message: m, Keys: criteria.Select(c => KeyOf(m, c.Key)).ToArray())).ToList();
        keys.Sort((a, b) =>
        {
            for (var i = 0; i < criteria.Count; i++)
            {
                var order = Compare(a.Keys[i], b.Keys[i]);
                if (order != 0)
                {
                    return criteria[i].Reverse ? -order : order;
                }
            }
            return a.Message.SequenceNumber.CompareTo(b.Message.SequenceNumber);
        });
        return keys.Select(k => k.Message).ToList();
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

    /// <summary>The value a key compares, computed once per message: numbers for dates and sizes, casemapped
    /// i;unicode-casemap keys for the rest.</summary>
    private static object KeyOf(SortMessage message, SortKey key) => key switch
    {
        SortKey.Arrival => message.Info.InternalDate.UtcTicks,
        SortKey.Date => message.SentDateUtcTicks,
        SortKey.Size => message.Info.Size,
        SortKey.Subject => message.Subject.Key,
        SortKey.From => UnicodeCasemap.Key(message.Fields.FromMailbox),
        SortKey.To => UnicodeCasemap.Key(message.Fields.ToMailbox),
        SortKey.Cc => UnicodeCasemap.Key(message.Fields.CcMailbox),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    private static int Compare(object a, object b) => a switch
    {
        long x => x.CompareTo((long)b),
        string s => UnicodeCasemap.Comparer.Compare(s, (string)b),
        _ => 0,
    };
}
