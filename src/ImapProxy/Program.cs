namespace ImapProxy;

/// <summary>The imapproxy executable.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static Task<int> Main(string[] args) => Task.FromResult(0);
}
