using ImapProxy.Store.Mime;

namespace ImapProxy.Store;

public sealed partial class MailFolder
{
    /// <summary>Messages whose missing sort fields are read from their files and stored in one transaction.</summary>
    private const int SortFillChunk = 2000;

    /// <summary>
    /// The SORT and THREAD fields of <paramref name="uids"/> (ascending), in the same order, from the index in one
    /// query that reads only the columns of <paramref name="parts"/>. Messages the index has no row for (indexed
    /// before it kept sort fields, or whose analysis failed) are read from their files once, header only, and their
    /// fields stored for next time. A message whose file has gone gets <see cref="SortFields.Empty"/>.
    /// </summary>
    public async Task<SortFields[]> GetSortFieldsAsync(IReadOnlyList<uint> uids, SortFieldParts parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var found = new SortFields?[uids.Count];
        if (parts == SortFieldParts.None)
        {
            Array.Fill(found, SortFields.Empty); // ARRIVAL and SIZE alone need nothing from the header
            return found!;
        }
        await _db.LoadSortFieldsAsync(_row.Id, uids, parts, found, cancellationToken).ConfigureAwait(false);
        var missing = new List<int>();
        for (int i = 0; i < found.Length; i++)
        {
            if (found[i] is null) missing.Add(i);
        }
        for (int start = 0; start < missing.Count; start += SortFillChunk)
        {
            var chunk = missing.GetRange(start, Math.Min(SortFillChunk, missing.Count - start));
            var read = new SortFields?[chunk.Count];
            await Parallel.ForAsync(0, chunk.Count, new ParallelOptions
            {
                CancellationToken = cancellationToken, MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount),
            }, async (i, ct) => read[i] = await ReadSortFieldsAsync(uids[chunk[i]], ct).ConfigureAwait(false)).ConfigureAwait(false);
            var rows = new List<(uint, SortFields)>(chunk.Count);
            for (int i = 0; i < chunk.Count; i++)
            {
                found[chunk[i]] = read[i] ?? SortFields.Empty;
                if (read[i] is { } fields) rows.Add((uids[chunk[i]], fields));
            }
            await _db.SetSortFieldsAsync(_row.Id, rows, cancellationToken).ConfigureAwait(false);
        }
        return found!;
    }

    /// <summary>The fields from the message's header; null when its file has gone.</summary>
    private async Task<SortFields?> ReadSortFieldsAsync(uint uid, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await OpenMessageAsync(uid, cancellationToken).ConfigureAwait(false);
            return SortFields.FromHeader(await HeaderOnlyReader.ReadFieldsAsync(stream, cancellationToken).ConfigureAwait(false));
        }
        catch (MessageNotFoundException)
        {
            return null; // expunged by another writer meanwhile: it sorts as a message with no fields
        }
    }
}
