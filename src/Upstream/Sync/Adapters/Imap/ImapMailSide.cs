using ImapProxy.Upstream.Client;

namespace ImapProxy.Upstream.Sync.Adapters.Imap;

/// <summary>
/// The upstream side: an IMAP server (through <see cref="ImapClient"/>) as an <see cref="IMailSide"/>, over a small
/// pool of up to <c>maxconnections</c> logged-in connections. Capabilities follow the server's: CONDSTORE/QRESYNC →
/// <see cref="SideCapabilities.ModSeq"/> and <see cref="SideCapabilities.ConditionalStore"/>, MOVE →
/// <see cref="SideCapabilities.Move"/>, UIDPLUS → <see cref="SideCapabilities.AppendUid"/>, OBJECTID →
/// <see cref="SideCapabilities.ContentKeys"/> (EMAILID).
/// </summary>
/// <remarks>
/// Folder names are the server's, decoded from modified UTF-7, with its hierarchy delimiter turned into <c>/</c>;
/// \Noselect folders are left out. A connection that breaks during an operation is discarded, and the error
/// surfaces as the operation's exception (the engine records it for that folder); the next operation reconnects.
/// </remarks>
public sealed partial class ImapMailSide : IMailSide, IAsyncDisposable
{
    private static readonly string[] StatusItemsBasic = ["MESSAGES", "UIDNEXT", "UIDVALIDITY"];
    private readonly ImapConnectionPool _pool;
    private readonly ImapFolderNames _names;
    private readonly IReadOnlySet<string> _serverCapabilities;

    private ImapMailSide(ImapConnectionPool pool, ImapFolderNames names, ImapClient first)
    {
        _pool = pool;
        _names = names;
        _serverCapabilities = new HashSet<string>(first.Capabilities, StringComparer.OrdinalIgnoreCase);
        QResync = first.Enabled.Contains("QRESYNC");
        var caps = SideCapabilities.None;
        if (Has("CONDSTORE") || Has("QRESYNC"))
        {
            caps |= SideCapabilities.ModSeq | SideCapabilities.ConditionalStore;
        }
        if (Has("MOVE"))
        {
            caps |= SideCapabilities.Move;
        }
        if (Has("UIDPLUS"))
        {
            caps |= SideCapabilities.AppendUid;
        }
        if (Has("OBJECTID"))
        {
            caps |= SideCapabilities.ContentKeys;
        }
        Capabilities = caps;
    }

    /// <summary>
    /// Opens the first connection (its CAPABILITY answer decides <see cref="Capabilities"/>) and learns the
    /// hierarchy delimiter. Later connections are opened on demand with <paramref name="connect"/>.
    /// </summary>
    /// <param name="connect">Opens and logs in one connection (e.g. <see cref="ImapClient.ConnectAsync(UpstreamOptions, IProtocolTrace?, CancellationToken)"/>
    /// or <see cref="ImapConnector.ConnectAsync"/>).</param>
    /// <param name="maxConnections">The most connections used at once (the account's <c>maxconnections</c>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<ImapMailSide> ConnectAsync(
        Func<CancellationToken, Task<ImapClient>> connect, int maxConnections, CancellationToken cancellationToken = default)
    {
        var first = await connect(cancellationToken).ConfigureAwait(false);
        try
        {
            var namespaces = await first.NamespaceAsync(cancellationToken).ConfigureAwait(false);
            var delimiter = namespaces.Personal.FirstOrDefault()?.Delimiter;
            return new ImapMailSide(new ImapConnectionPool(connect, maxConnections, first), new ImapFolderNames(delimiter), first);
        }
        catch
        {
            await first.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the side with plain connections made from <paramref name="options"/> (no retries).</summary>
    public static Task<ImapMailSide> ConnectAsync(
        UpstreamOptions options, int maxConnections, IProtocolTrace? trace = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(ct => ImapClient.ConnectAsync(options, trace, ct), maxConnections, cancellationToken);

    /// <inheritdoc />
    public string Name => "upstream";

    /// <inheritdoc />
    public SideCapabilities Capabilities { get; }

    /// <summary>The most connections this side opens at once.</summary>
    public int MaxConnections => _pool.MaxConnections;

    /// <summary>Connections opened so far (reconnects included).</summary>
    public int ConnectionsOpened => _pool.Opened;

    /// <summary>The server's hierarchy delimiter, or null for a flat namespace.</summary>
    public char? Delimiter => _names.Delimiter;

    /// <summary>True when QRESYNC is enabled: listings since a modseq come with VANISHED UIDs.</summary>
    private bool QResync { get; }

    private bool Has(string capability) => _serverCapabilities.Contains(capability);

    /// <inheritdoc />
    public Task<IReadOnlyList<FolderStatus>> ListFoldersAsync(CancellationToken cancellationToken) =>
        WithConnectionAsync(null, async client =>
        {
            var items = (Capabilities & SideCapabilities.ModSeq) != 0 ? [.. StatusItemsBasic, "HIGHESTMODSEQ"] : StatusItemsBasic;
            // LIST-STATUS (RFC 5819): the status of every folder in the same round trip.
            var listStatus = Has("LIST-STATUS") && Has("LIST-EXTENDED");
            // Dovecot 2.3.19 answers STATUS, and LIST-STATUS, for the mailbox selected on this connection from the
            // session's view, which it syncs only when a command ends: a message appended over another connection
            // since then is not counted, the folder looks unchanged, and the pass an IDLE watcher started for that
            // very message finds nothing to do. A NOOP syncs the view; it must complete first, since Dovecot runs a
            // command pipelined behind it on the view from before (see SelectAsync).
            if (client.State == ImapClientState.Selected)
            {
                await IgnoreFailure(client.NoopAsync(cancellationToken)).ConfigureAwait(false);
            }
            var entries = await client.ListAsync(new ListRequest(StatusItems: listStatus ? items : null), cancellationToken)
                .ConfigureAwait(false);
            var folders = new List<(string Name, ListEntry Entry, Task<StatusInfo?> Status)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (!entry.IsSelectable || !_names.TryFromServer(entry.Name, out var name) || !seen.Add(name))
                {
                    continue;
                }
                // Without LIST-STATUS the STATUS commands go out pipelined, all at once.
                var status = entry.Status is { } known ? Task.FromResult<StatusInfo?>(known) : StatusOrNullAsync(client, entry.Name, items, cancellationToken);
                folders.Add((name, entry, status));
            }
            await Task.WhenAll(folders.Select(f => f.Status)).ConfigureAwait(false);
            var result = new List<FolderStatus>();
            foreach (var (name, _, status) in folders)
            {
                // A folder deleted between LIST and STATUS is simply not there any more.
                if (status.Result is { } s)
                {
                    result.Add(ToStatus(name, s));
                }
            }
            return (IReadOnlyList<FolderStatus>)result;
        }, cancellationToken);

    private static async Task<StatusInfo?> StatusOrNullAsync(ImapClient client, string mailbox, string[] items, CancellationToken ct)
    {
        try
        {
            return await client.StatusAsync(mailbox, items, ct).ConfigureAwait(false);
        }
        catch (ImapCommandException)
        {
            return null;
        }
    }

    private static FolderStatus ToStatus(string name, StatusInfo s) =>
        new(name, s.UidValidity ?? 0, s.UidNext ?? 0, s.HighestModSeq ?? 0, (int)(s.Messages ?? 0));

    /// <inheritdoc />
    public Task<FolderStatus> CreateFolderAsync(string name, CancellationToken cancellationToken) =>
        WithConnectionAsync(null, async client =>
        {
            var server = _names.ToServer(name);
            try
            {
                await client.CreateAsync(server, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ImapCommandException)
            {
                // Idempotent by contract: NO [ALREADYEXISTS] (or any NO for a folder that is there) is fine.
                var existing = await StatusOrNullAsync(client, server, StatusItems, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    throw;
                }
                return ToStatus(name, existing);
            }
            // Subscribed, so that mail clients reading the upstream directly see it too; failure is harmless.
            try
            {
                await client.SubscribeAsync(server, cancellationToken).ConfigureAwait(false);
            }
            catch (ImapCommandException)
            {
            }
            return ToStatus(name, await client.StatusAsync(server, StatusItems, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    private string[] StatusItems => (Capabilities & SideCapabilities.ModSeq) != 0 ? [.. StatusItemsBasic, "HIGHESTMODSEQ"] : StatusItemsBasic;

    /// <inheritdoc />
    public async Task DeleteFolderAsync(string name, CancellationToken cancellationToken)
    {
        var server = _names.ToServer(name);
        await _pool.DropSelectedAsync(server).ConfigureAwait(false);
        await WithConnectionAsync(null, async client =>
        {
            try
            {
                await client.DeleteAsync(server, cancellationToken).ConfigureAwait(false);
            }
            catch (ImapCommandException)
            {
                // Already gone is fine; a folder that is still there is not.
                if (await StatusOrNullAsync(client, server, StatusItems, cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw;
                }
            }
            try
            {
                await client.UnsubscribeAsync(server, cancellationToken).ConfigureAwait(false);
            }
            catch (ImapCommandException)
            {
            }
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RenameFolderAsync(string oldName, string newName, CancellationToken cancellationToken)
    {
        var from = _names.ToServer(oldName);
        await _pool.DropSelectedAsync(from).ConfigureAwait(false);
        await WithConnectionAsync(null, async client =>
        {
            await client.RenameAsync(from, _names.ToServer(newName), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Logs out and closes every connection.</summary>
    public ValueTask DisposeAsync() => _pool.DisposeAsync();

    /// <summary>
    /// Runs <paramref name="work"/> on a leased connection. NO/BAD leave the connection in the pool; anything else
    /// (a broken connection, a cancellation mid-command, a local I/O error) discards it.
    /// </summary>
    private async Task<T> WithConnectionAsync<T>(string? mailbox, Func<ImapClient, Task<T>> work, CancellationToken cancellationToken)
    {
        var client = await _pool.LeaseAsync(mailbox, cancellationToken).ConfigureAwait(false);
        var broken = true;
        try
        {
            var result = await work(client).ConfigureAwait(false);
            broken = false;
            return result;
        }
        catch (ImapCommandException)
        {
            broken = false;
            throw;
        }
        finally
        {
            await _pool.ReturnAsync(client, broken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Selects <paramref name="mailbox"/> unless already selected. When it is, a NOOP is run first, because a server
    /// may answer from its view as of the last command on this connection: messages appended over another pooled
    /// connection would be missed. The NOOP must complete before the caller's command goes out: Dovecot 2.3.19 runs
    /// a UID SEARCH or UID FETCH pipelined behind a NOOP on the view from before the NOOP's sync (the new message's
    /// EXISTS arrives after the empty SEARCH), so an upload found by Message-ID without UIDPLUS was missed.
    /// </summary>
    private static async Task SelectAsync(ImapClient client, string mailbox, CancellationToken ct)
    {
        if (client.Selected?.Name == mailbox && client.State == ImapClientState.Selected)
        {
            await IgnoreFailure(client.NoopAsync(ct)).ConfigureAwait(false);
            return;
        }
        await client.SelectAsync(mailbox, null, ct).ConfigureAwait(false);
    }

    // The NOOP's outcome does not matter: if the connection broke, the command pipelined after it fails too.
    private static async Task IgnoreFailure(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
        }
    }
}
