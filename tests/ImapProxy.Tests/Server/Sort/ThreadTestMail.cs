using ImapProxy.Server.Sort;
using ImapProxy.Store;
using ImapProxy.Store.Mime;

namespace ImapProxy.Tests.Server.Sort;

/// <summary>Builds <see cref="SortMessage"/>s from a few header fields, numbered in the order given.</summary>
internal static class ThreadTestMail
{
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>One message: fields as "Name: value" lines; a missing Date: falls back to an arrival date of
    /// <paramref name="arrivalMinutes"/> after 2024-01-01.</summary>
    public static SortMessage Message(int seq, string header, int arrivalMinutes = 0, long size = 100)
    {
        var fields = header.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .Select(parts => new HeaderField(parts[0].Trim(), parts.Length > 1 ? parts[1].Trim() : ""))
            .ToList();
        var info = new MessageInfo((uint)(seq * 10), MessageFlags.None, [], 1, Epoch.AddMinutes(arrivalMinutes), size);
        return new SortMessage(seq, info, SortFields.FromHeader(fields));
    }

    /// <summary>Thread output with sequence numbers, as the THREAD response carries it.</summary>
    public static string Format(List<ThreadNode> threads) => ThreadNode.Format(threads, byUid: false);

    public static string Date(int day, int hour = 0) => $"Date: {day} Jan 2024 {hour:00}:00:00 +0000";
}
