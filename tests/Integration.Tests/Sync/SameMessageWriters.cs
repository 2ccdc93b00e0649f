namespace ImapProxy.Integration.Tests.Sync;

/// <summary>Who changes a message in <see cref="SyncSameMessageTests"/>.</summary>
internal enum Writer
{
    /// <summary>A mail client on our local server.</summary>
    LocalClient,

    /// <summary>Another program on the mirror's Maildir files (<see cref="ExternalMaildirWriter"/>).</summary>
    Maildir,

    /// <summary>A mail client on the upstream Dovecot.</summary>
    Upstream,
}

/// <summary>One message several writers change: where each of them finds it, its flags before, and what they should become.</summary>
internal sealed record Target(string Folder, string Id, string BaseFlags, uint LocalUid, uint UpstreamUid, string FolderPath, string BaseName)
{
    /// <summary>The flags the rules give it in the end, or null when it must be gone.</summary>
    public string? Expected { get; set; }

    public bool Had(string flag) => BaseFlags.Split(' ').Contains(flag, StringComparer.Ordinal);

    /// <summary>The base flags with each of <paramref name="flags"/> toggled.</summary>
    public string Toggled(params string[] flags)
    {
        var set = BaseFlags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        foreach (var flag in flags)
        {
            if (!set.Remove(flag))
            {
                set.Add(flag);
            }
        }
        return MailFlags.Canonical(set);
    }
}

/// <summary>
/// The three writers of <see cref="SyncSameMessageTests"/>, each acting on a message by its own handle for it (local
/// UID, upstream UID, Maildir base name) taken before anything changed, so a change to a message already gone is a
/// no-op, as it would be for a real client. Each IMAP connection runs one command at a time.
/// </summary>
internal sealed class Writers : IAsyncDisposable
{
    private readonly RawMailbox _local;
    private readonly RawMailbox _upstream;
    private readonly SemaphoreSlim _localTurn = new(1, 1);
    private readonly SemaphoreSlim _upstreamTurn = new(1, 1);

    private Writers(RawMailbox local, RawMailbox upstream)
    {
        _local = local;
        _upstream = upstream;
    }

    public static async Task<Writers> StartAsync(SyncAccount account, Server.RunningServer server) =>
        new(await RawMailbox.LoginAsync("127.0.0.1", server.Port, Server.RunningServer.User, Server.RunningServer.Password),
            await account.UpstreamAsync());

    public async Task<Target> ResolveAsync(SyncAccount account, Server.RunningServer server, string folder, string id)
    {
        var path = (await server.Store.OpenFolderAsync(folder)).Path;
        return new Target(folder, id, account.Model.FlagsOf(folder, id), await _local.UidOfAsync(folder, id),
            await _upstream.UidOfAsync(folder, id), path, ExternalMaildirWriter.BaseNameOf(path, id));
    }

    /// <summary>Sets <paramref name="flag"/> if the message did not have it, else clears it.</summary>
    public Task ToggleAsync(Writer writer, Target target, string flag)
    {
        var change = $"{(target.Had(flag) ? "-" : "+")}FLAGS.SILENT ({flag})";
        return writer switch
        {
            Writer.LocalClient => OneAtATimeAsync(_localTurn, () => _local.StoreAsync(target.Folder, target.LocalUid, change)),
            Writer.Upstream => OneAtATimeAsync(_upstreamTurn, () => _upstream.StoreAsync(target.Folder, target.UpstreamUid, change)),
            _ => Task.Run(() => ExternalMaildirWriter.SetFlag(target.FolderPath, target.BaseName, flag, !target.Had(flag))),
        };
    }

    public Task ExpungeAsync(Writer writer, Target target) => writer switch
    {
        Writer.LocalClient => OneAtATimeAsync(_localTurn, () => _local.ExpungeUidAsync(target.Folder, target.LocalUid)),
        Writer.Upstream => OneAtATimeAsync(_upstreamTurn, () => _upstream.ExpungeUidAsync(target.Folder, target.UpstreamUid)),
        _ => Task.Run(() => ExternalMaildirWriter.Delete(target.FolderPath, target.BaseName)),
    };

    private static async Task OneAtATimeAsync(SemaphoreSlim turn, Func<Task> action)
    {
        await turn.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _local.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}
