namespace ImapProxy.Upstream.Sync;

/// <summary>
/// The three-way flag merge. Each flag is decided on its own: a flag both sides agree on stays; otherwise exactly one
/// side differs from the base, so that side changed it, and its change wins. Per flag there is no conflict to solve:
/// "both changed the same flag differently" cannot happen with a single bit, and "both changed it the same way" is
/// agreement. Only when the base is unknown (messages paired by content after state loss or a UIDVALIDITY change)
/// does a disagreement remain; then a set flag wins (union), so no \Seen, \Flagged, \Answered or keyword is lost.
/// </summary>
public static class FlagMerge
{
    /// <summary>The flags both sides should end with.</summary>
    /// <param name="side0">Flags now on side 0.</param>
    /// <param name="baseFlags">Flags as last synced, or null when unknown.</param>
    /// <param name="side1">Flags now on side 1.</param>
    public static FlagSet Merge(FlagSet side0, FlagSet? baseFlags, FlagSet side1)
    {
        if (baseFlags is null)
        {
            return side0.Union(side1);
        }
        // A flag is in the result when set on a side that changed it, or kept by both:
        // (s0 ∩ s1) ∪ (s0 \ base) ∪ (s1 \ base), minus those that a side removed from the base.
        var added = side0.Except(baseFlags).Union(side1.Except(baseFlags));
        var removed = baseFlags.Except(side0).Union(baseFlags.Except(side1));
        return baseFlags.Union(added).Except(removed);
    }
}
