namespace ImapProxy.Server;

/// <summary>
/// The UIDs that are \Recent in one session, as ranges: a session claims them a run at a time (everything at
/// SELECT, then each arrival), so a few ranges stand for what would otherwise be a set as big as the folder.
/// Expunged UIDs may stay inside a range; counts are taken against the session's current messages.
/// </summary>
internal sealed class RecentUids
{
    private readonly List<(uint Low, uint High)> _ranges = new();

    /// <summary>Marks <paramref name="low"/> through <paramref name="high"/> as \Recent (nothing when low &gt; high).</summary>
    public void Add(uint low, uint high)
    {
        if (low > high)
        {
            return;
        }
        if (_ranges.Count > 0 && low >= _ranges[^1].Low && low <= (ulong)_ranges[^1].High + 1)
        {
            // Claims come in UID order, so a new one almost always extends the last range.
            _ranges[^1] = (_ranges[^1].Low, Math.Max(_ranges[^1].High, high));
            return;
        }
        _ranges.Add((low, high));
    }

    public bool Contains(uint uid)
    {
        foreach (var (low, high) in _ranges)
        {
            if (uid >= low && uid <= high)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>How many of <paramref name="messages"/> (ascending UIDs) are \Recent.</summary>
    public int CountIn(MessageList messages)
    {
        int count = 0;
        foreach (var (low, high) in _ranges)
        {
            count += (high == uint.MaxValue ? messages.Count : messages.LowerBound(high + 1)) - messages.LowerBound(low);
        }
        return count;
    }
}
