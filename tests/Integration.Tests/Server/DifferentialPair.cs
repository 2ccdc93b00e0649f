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

    /// <summary>Closes both connections, then stops both servers.</summary>
    public async ValueTask DisposeAsync()
    {
        await Ours.DisposeAsync();
        await Dovecot.DisposeAsync();
        await _ourServer.DisposeAsync();
        await _dovecotBed.DisposeAsync();
    }
}
