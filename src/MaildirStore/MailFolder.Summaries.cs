namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    /// <summary>
    /// Loads the cached summaries of the messages with UIDs <paramref name="firstUid"/>..<paramref name="lastUid"/>
    /// into <paramref name="batch"/> (replacing what it held) in one index query. Messages whose analysis failed at
    /// ingest are absent or lack parts; get those one by one with <see cref="GetDetailsAsync"/>, which computes them.
    /// </summary>
    public Task LoadSummariesAsync(uint firstUid, uint lastUid, SummaryParts parts, MessageSummaryBatch batch,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return _db.LoadSummariesAsync(_row.Id, firstUid, lastUid, parts, batch, cancellationToken);
    }
}
