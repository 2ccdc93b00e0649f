using System.Text;
using ImapProxy.Upstream.Sync;

namespace ImapProxy.Upstream.Tests.Sync;

/// <summary>Builds small RFC 5322 messages whose Message-ID is &lt;name@test&gt;.</summary>
internal static class TestMessages
{
    public static string MessageId(string name) => $"<{name}@test>";

    public static byte[] Make(string name, bool withMessageId = true, int bodyLines = 3)
    {
        var text = new StringBuilder();
        text.Append("From: a@example.org\r\nTo: b@example.org\r\n");
        text.Append($"Subject: message {name}\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\n");
        if (withMessageId)
        {
            text.Append($"Message-ID: {MessageId(name)}\r\n");
        }
        text.Append("\r\n");
        for (var i = 0; i < bodyLines; i++)
        {
            text.Append($"Body line {i} of {name}\r\n");
        }
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Flags in the tables' short notation: S=\Seen F=\Flagged A=\Answered D=\Deleted k=$Label1, "" none.</summary>
    public static FlagSet Flags(string shortForm) => FlagSet.Of(shortForm.Select(c => c switch
    {
        'S' => @"\Seen",
        'F' => @"\Flagged",
        'A' => @"\Answered",
        'D' => @"\Deleted",
        'k' => "$Label1",
        _ => throw new ArgumentException($"unknown flag letter {c}"),
    }));

    public static string Short(FlagSet flags) => new(flags.Select(f => f switch
    {
        @"\Seen" => 'S',
        @"\Flagged" => 'F',
        @"\Answered" => 'A',
        @"\Deleted" => 'D',
        "$Label1" => 'k',
        _ => '?',
    }).Order().ToArray());
}
