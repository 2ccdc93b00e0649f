using ImapProxy.Configuration;
using ImapProxy.Sync.Background;

namespace ImapProxy.Tests.Sync;

public sealed class ConnectionBudgetTests
{
    private static AccountConfig Account(int maxConnections, params string[] idle) => new()
    {
        Name = "a", MaildirPath = "/tmp/a", Host = "h", Port = 143, User = "u", LocalUser = "l", LocalPassword = "p",
        MaxConnections = maxConnections, Idle = idle,
    };

    [Theory]
    [InlineData(4, new[] { "INBOX" }, new[] { "INBOX" }, new string[0], 3)]
    [InlineData(4, new[] { "INBOX", "Lists/dev", "Sent" }, new[] { "INBOX", "Lists/dev", "Sent" }, new string[0], 1)]
    [InlineData(2, new[] { "INBOX", "Archive", "Sent" }, new[] { "INBOX" }, new[] { "Archive", "Sent" }, 1)]
    [InlineData(1, new[] { "INBOX" }, new string[0], new[] { "INBOX" }, 1)]
    [InlineData(3, new string[0], new string[0], new string[0], 3)]
    [InlineData(3, new[] { "INBOX", "INBOX" }, new[] { "INBOX" }, new string[0], 2)]
    public void Idle_takes_connections_from_maxconnections_but_never_the_last_one(
        int max, string[] idle, string[] idled, string[] polled, int sync)
    {
        var budget = ConnectionBudget.For(Account(max, idle));
        Assert.Equal(idled, budget.Idled);
        Assert.Equal(polled, budget.Polled);
        Assert.Equal(sync, budget.SyncConnections);
        Assert.True(budget.Idled.Count + budget.SyncConnections <= max);
    }

    [Fact]
    public void The_warning_names_the_folders_left_to_polling_and_is_absent_when_all_fit()
    {
        var tight = Account(1, "INBOX", "Sent");
        var warning = ConnectionBudget.For(tight).Warning(tight);
        Assert.NotNull(warning);
        Assert.Contains("maxconnections = 1 leaves room for 0 IDLE connections", warning);
        Assert.EndsWith("polled every 300 s instead: INBOX, Sent", warning);
        var roomy = Account(4, "INBOX", "Sent");
        Assert.Null(ConnectionBudget.For(roomy).Warning(roomy));
    }
}
