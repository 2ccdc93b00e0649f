namespace ImapProxy.Protocol;

/// <summary>
/// A per-thread scratch stack for the items of lists being parsed, so that a list costs one exact-size array (the
/// value returned) and nothing else. Used strictly last-in first-out by synchronous code: each list works above
/// the height it found and restores that height (clearing its slots) when it ends, however it ends.
/// </summary>
internal static class ValueStack
{
    [ThreadStatic] private static ImapValue[]? t_items;
    [ThreadStatic] private static int t_height;

    /// <summary>The current height: remember it, push, then <see cref="PopTo"/> it.</summary>
    public static int Height => t_height;

    public static void Push(in ImapValue value)
    {
        var items = t_items ??= new ImapValue[64];
        if (t_height == items.Length)
        {
            Array.Resize(ref items, items.Length * 2);
            t_items = items;
        }
        items[t_height++] = value;
    }

    /// <summary>The values pushed above <paramref name="height"/>, as a new array.</summary>
    public static ImapValue[] ToArray(int height)
    {
        var count = t_height - height;
        return count == 0 ? [] : t_items.AsSpan(height, count).ToArray();
    }

    /// <summary>Drops everything above <paramref name="height"/>, releasing what it referenced.</summary>
    public static void PopTo(int height)
    {
        if (t_height > height) Array.Clear(t_items!, height, t_height - height);
        t_height = height;
    }
}
