using ImapProxy.Upstream.Sync.Adapters.Imap;

namespace ImapProxy.Upstream.Client;

/// <summary>
/// Keeps one mailbox watched: connects (with backoff), selects it, runs the caller's synchronization, then waits
/// for changes with IDLE (re-issued before the server's 30-minute limit) or NOOP polling, and synchronizes again.
/// When the connection breaks it reconnects, selects again and re-issues IDLE; a changed UIDVALIDITY is the
/// caller's to notice in <see cref="MailboxInfo.UidValidity"/>.
/// </summary>
public sealed class MailboxWatcher
{
    private readonly ImapConnector _connector;
    private readonly Func<ImapClient, CancellationToken, Task<string>> _serverName;

    /// <summary>Watches <paramref name="mailbox"/>, named as the server names it.</summary>
    public MailboxWatcher(ImapConnector connector, string mailbox)
    {
        _connector = connector;
        _serverName = (_, _) => Task.FromResult(mailbox);
    }

    private MailboxWatcher(ImapConnector connector, Func<ImapClient, CancellationToken, Task<string>> serverName)
    {
        _connector = connector;
        _serverName = serverName;
    }

    /// <summary>
    /// Watches a folder named as the sync engine and the configuration name it (<c>/</c> between levels, e.g.
    /// <c>idle = Lists/dev</c>): the server's hierarchy delimiter is learnt with NAMESPACE on the first connection,
    /// so on Dovecot's default <c>.</c> the watcher selects <c>Lists.dev</c>.
    /// </summary>
    public static MailboxWatcher ForFolder(ImapConnector connector, string folder)
    {
        string? resolved = null;
        return new MailboxWatcher(connector, async (client, ct) =>
        {
            if (resolved is null)
            {
                var namespaces = await client.NamespaceAsync(ct).ConfigureAwait(false);
                resolved = new ImapFolderNames(namespaces.Personal.FirstOrDefault()?.Delimiter).ToServer(folder);
            }
            return resolved;
        });
    }

    /// <summary>Runs until cancelled (returns normally then) or until a permanent failure (thrown).</summary>
    /// <param name="synchronize">Called after each (re)select and after each change; gets the client and the mailbox.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    public async Task RunAsync(Func<ImapClient, MailboxInfo, CancellationToken, Task> synchronize, CancellationToken cancellationToken)
    {
        var quickFailures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            ImapClient? client = null;
            var started = DateTime.UtcNow;
            try
            {
                client = await _connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
                var mailbox = await _serverName(client, cancellationToken).ConfigureAwait(false);
                var info = await client.SelectAsync(mailbox, cancellationToken: cancellationToken).ConfigureAwait(false);
                Connections++;
                await synchronize(client, info, cancellationToken).ConfigureAwait(false);
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (await client.WaitForChangesAsync(_connector.Options.IdleRefresh, cancellationToken).ConfigureAwait(false))
                        await synchronize(client, client.Selected ?? info, cancellationToken).ConfigureAwait(false);
                }
                await client.LogoutAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ImapProtocolException e) when (ImapConnector.IsTransient(e))
            {
                // Dropped connection: go round again. The connector backs off when connecting fails; a connection that
                // keeps breaking right after the login backs off here.
                LastError = e;
                quickFailures = DateTime.UtcNow - started < TimeSpan.FromMinutes(1) ? quickFailures + 1 : 0;
            }
            finally
            {
                if (client is not null) await client.DisposeAsync().ConfigureAwait(false);
            }
            if (quickFailures > 1)
            {
                var delay = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, quickFailures - 2)));
                try { await Task.Delay(delay, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>How many times the mailbox was (re)selected.</summary>
    public int Connections { get; private set; }

    /// <summary>The last connection error recovered from.</summary>
    public Exception? LastError { get; private set; }
}
