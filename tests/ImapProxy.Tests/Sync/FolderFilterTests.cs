using ImapProxy.Sync;

namespace ImapProxy.Tests.Sync;

public sealed class FolderFilterTests
{
    [Theory]
    [InlineData("*", "INBOX", true)]
    [InlineData("*", "Lists/dev/rust", true)]
    [InlineData("%", "Lists", true)]
    [InlineData("%", "Lists/dev", false)]
    [InlineData("Lists/%", "Lists/dev", true)]
    [InlineData("Lists/%", "Lists/dev/rust", false)]
    [InlineData("Lists/*", "Lists/dev/rust", true)]
    [InlineData("Lists/*", "Lists", false)]
    [InlineData("*%", "a/b", true)]
    [InlineData("%/%", "a/b", true)]
    [InlineData("%/%", "a/b/c", false)]
    [InlineData("inbox", "INBOX", true)]
    [InlineData("Inbox/*", "INBOX/Sub", true)]
    [InlineData("INBOX", "INBOXES", false)]
    [InlineData("[Gmail]/All Mail", "[Gmail]/All Mail", true)]
    [InlineData("Wörk", "Wörk", true)]
    [InlineData("Spam", "spam", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void Matches_list_patterns(string pattern, string name, bool expected) =>
        Assert.Equal(expected, FolderFilter.Matches(pattern, name));

    [Fact]
    public void Include_minus_exclude_narrowed_by_the_command_line()
    {
        var filter = new FolderFilter(["*"], ["Spam", "Trash", "Lists/*"], ["INBOX", "Lists/dev", "Archive/%"]);
        Assert.True(filter.Includes("INBOX"));
        Assert.True(filter.Includes("Archive/2024"));
        Assert.False(filter.Includes("Archive/2024/Q1"));
        Assert.False(filter.Includes("Lists/dev"));   // excluded wins over -f
        Assert.False(filter.Includes("Spam"));
        Assert.False(filter.Includes("Sent"));        // not in -f
        Assert.True(new FolderFilter(["*"], ["Spam"]).Includes("Sent"));
    }

    [Fact]
    public void A_long_name_against_many_stars_is_fast_and_right()
    {
        var name = new string('a', 2000);
        Assert.False(FolderFilter.Matches(string.Concat(Enumerable.Repeat("*a", 50)) + "b", name));
    }
}
