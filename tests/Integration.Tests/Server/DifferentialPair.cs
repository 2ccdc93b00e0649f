using ImapProxy.TestSupport;

namespace ImapProxy.Integration.Tests.Server;

/// <summary>
/// A Dovecot test bed and our server side by side, each with one logged-in connection: the setup every
/// differential test starts from, so that they compare the same kind of session.
/// </summary>
internal sealed class DifferentialPair : IAsyncDisposable
{
    private readonly DovecotTestBed _dovecotBed;
    private readonly RunningServer _ourServer;
    private readonly List<RawImapConnection> _more = new();

    private DifferentialPair(DovecotTestBed dovecotBed, RunningServer ourServer, RawImapConnection dovecot, RawImapConnection ours)
    {
        _dovecotBed = dovecotBed;
        _ourServer = ourServer;
        Dovecot = dovecot;
        Ours = ours;
    }

    /// <summary>The logged-in connection to Dovecot.</summary>
    public RawImapConnection Dovecot { get; }

    /// <summary>The logged-in connection to our server.</summary>
    public RawImapConnection Ours { get; }

    /// <summary>Starts both servers, connects to each and logs in; asserts that both logins succeed.</summary>
    public static async Task<DifferentialPair> StartAsync()
    {
        var dovecotBed = await DovecotTestBed.StartAsync();
        RunningServer? ourServer = null;
        RawImapConnection? dovecot = null;
        RawImapConnection? ours = null;
        try
        {
            ourServer = await RunningServer.StartAsync();
            dovecot = await dovecotBed.ConnectAsync();
            ours = await RawImapConnection.ConnectAsync("127.0.0.1", ourServer.Port);
            Assert.True((await dovecot.CommandAsync($"LOGIN {dovecotBed.DefaultUser.Name} {dovecotBed.DefaultUser.Password}")).IsOk);
            Assert.True((await ours.CommandAsync($"LOGIN {RunningServer.User} {RunningServer.Password}")).IsOk);
            return new DifferentialPair(dovecotBed, ourServer, dovecot, ours);
        }
        catch
        {
            if (ours is not null) await ours.DisposeAsync();
            if (dovecot is not null) await dovecot.DisposeAsync();
            if (ourServer is not null) await ourServer.DisposeAsync();
            await dovecotBed.DisposeAsync();
            throw;
        }
    }

    /// <summary>Another logged-in connection to each server (a second session), closed with the pair.</summary>
    public async Task<(RawImapConnection Dovecot, RawImapConnection Ours)> ConnectAgainAsync()
    {
        var dovecot = await _dovecotBed.ConnectAsync();
        _more.Add(dovecot);
        var ours = await RawImapConnection.ConnectAsync("127.0.0.1", _ourServer.Port);
        _more.Add(ours);
        Assert.True((await dovecot.CommandAsync($"LOGIN {_dovecotBed.DefaultUser.Name} {_dovecotBed.DefaultUser.Password}")).IsOk);
        Assert.True((await ours.CommandAsync($"LOGIN {RunningServer.User} {RunningServer.Password}")).IsOk);
        return (dovecot, ours);
    }

    /// <summary>Delivers a message straight into Dovecot's INBOX Maildir, as a delivery agent would.</summary>
    public async Task DropIntoDovecotInboxAsync(byte[] message) => await _dovecotBed.Maildir().AddAsync("INBOX", message);

    /// <summary>Delivers a message straight into our INBOX Maildir, as a delivery agent would (tmp/, then renamed into new/).</summary>
    public async Task DropIntoOurInboxAsync(byte[] message)
    {
        var name = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{Guid.NewGuid():N}.test";
        var temporary = Path.Combine(_ourServer.Root, "tmp", name);
        await File.WriteAllBytesAsync(temporary, message);
        File.Move(temporary, Path.Combine(_ourServer.Root, "new", name));
    }

    /// <summary>Closes every connection, then stops both servers.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _more)
        {
            await connection.DisposeAsync();
        }
        await Ours.DisposeAsync();
        await Dovecot.DisposeAsync();
        await _ourServer.DisposeAsync();
        await _dovecotBed.DisposeAsync();
    }
}
