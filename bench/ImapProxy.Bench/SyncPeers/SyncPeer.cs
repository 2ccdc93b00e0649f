namespace ImapProxy.Bench.SyncPeers;

/// <summary>
/// A tool that mirrors an IMAP account into a local Maildir, set up for one benchmark run against the test bed.
/// </summary>
public abstract class SyncPeer
{
    /// <summary>The name shown in the results table.</summary>
    public abstract string Name { get; }

    /// <summary>The local Maildir root this peer fills (INBOX plus Maildir++ folders, or nested ones).</summary>
    public string MirrorPath { get; private set; } = "";

    /// <summary>The peer's own working directory (config and state).</summary>
    protected string WorkPath { get; private set; } = "";

    /// <summary>Creates the peer's directories and writes its configuration for <paramref name="upstream"/>.</summary>
    public async Task PrepareAsync(string workRoot, UpstreamAccount upstream)
    {
        WorkPath = Path.Combine(workRoot, Name.Replace(' ', '-'));
        MirrorPath = Path.Combine(WorkPath, "mail");
        Directory.CreateDirectory(WorkPath);
        await WriteConfigAsync(upstream);
    }

    /// <summary>Writes the configuration into <see cref="WorkPath"/>.</summary>
    protected abstract Task WriteConfigAsync(UpstreamAccount upstream);

    /// <summary>The command line of one full sync pass.</summary>
    public abstract (string FileName, IReadOnlyList<string> Arguments) SyncCommand();

    /// <summary>Counts the message files the peer wrote (cur/ and new/ of every folder under the mirror).</summary>
    public int CountMirroredMessages()
    {
        if (!Directory.Exists(MirrorPath))
        {
            return 0;
        }
        return Directory.EnumerateDirectories(MirrorPath, "*", SearchOption.AllDirectories)
            .Prepend(MirrorPath)
            .Where(d => Path.GetFileName(d) is "cur" or "new")
            .Sum(d => Directory.EnumerateFiles(d).Count());
    }
}

/// <summary>Where and as whom the peers log in upstream.</summary>
/// <param name="Host">IP address of the server.</param>
/// <param name="Port">Its plaintext IMAP port.</param>
/// <param name="User">Login name.</param>
/// <param name="Password">Password.</param>
public sealed record UpstreamAccount(string Host, int Port, string User, string Password);
