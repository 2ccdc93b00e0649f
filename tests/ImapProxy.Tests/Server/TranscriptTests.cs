namespace ImapProxy.Tests.Server;

/// <summary>Every transcript in Server/Transcripts, fed whole and one byte at a time, against a real mirror.</summary>
public sealed class TranscriptTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Server", "Transcripts");

    public static TheoryData<string, FeedMode> Cases()
    {
        var data = new TheoryData<string, FeedMode>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.txt").Order())
        {
            data.Add(Path.GetFileName(file), FeedMode.Whole);
            data.Add(Path.GetFileName(file), FeedMode.ByteAtATime);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Transcript_plays(string name, FeedMode mode)
    {
        await using var account = await TestAccount.CreateAsync();
        await account.SeedStandardAsync();
        var text = await File.ReadAllTextAsync(Path.Combine(Directory, name));
        await TranscriptRunner.RunAsync(text, mode, account.Resolver, loopback: !name.StartsWith("remote-", StringComparison.Ordinal));
    }

    [Fact]
    public void There_are_transcripts()
    {
        Assert.True(Cases().Count() >= 14, "transcripts are missing from the output directory");
    }
}
