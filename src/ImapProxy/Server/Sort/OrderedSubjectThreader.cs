namespace ImapProxy.Server.Sort;

/// <summary>THREAD=ORDEREDSUBJECT (RFC 5256 §3): one thread per base subject, every later message a child of the first.</summary>
internal static class OrderedSubjectThreader
{
    public static List<ThreadNode> Thread(IEnumerable<SortMessage> messages)
    {
        var ordered = messages
            .OrderBy(m => m.Subject.Key, UnicodeCasemap.Comparer)
            .ThenBy(m => m.SentDateUtcTicks)
            .ThenBy(m => m.SequenceNumber);
        var threads = new List<ThreadNode>();
        ThreadNode? current = null;
        foreach (var message in ordered)
        {
            if (current is not null && current.Message!.Subject.Key == message.Subject.Key)
            {
                current.Add(new ThreadNode(message));
                continue;
            }
            current = new ThreadNode(message);
            threads.Add(current);
        }
        // Threads are ordered by the sent date of their first message; the children already are.
        threads.Sort(ThreadNode.CompareByDate);
        return threads;
    }
}
