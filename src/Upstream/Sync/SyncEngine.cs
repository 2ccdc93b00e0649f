using ImapProxy.Upstream.Sync.State;

namespace ImapProxy.Upstream.Sync;

/// <summary>
/// The synchroniser: keeps two <see cref="IMailSide"/>s in step, isync-style, through a three-way comparison with
/// the state of the last sync. Side 0 is conventionally upstream and side 1 local, but the engine treats both alike.
/// </summary>
/// <remarks>
/// A run: reconcile the journal; list both sides' folders (one call each, with status); pair folders (create,
/// delete, rename); skip pairs whose status is unchanged on both sides; list the rest (deltas since HIGHESTMODSEQ
/// where possible), in parallel; recognise moves between folders; plan each folder; apply the deletion guard; then,
/// unless dry run, carry out the plans in parallel and record the new status marks.
/// </remarks>
public sealed class SyncEngine
{
    private readonly IMailSide[] _sides;
    private readonly SyncStateStore _state;

    /// <summary>Creates an engine over two sides and their shared state.</summary>
    public SyncEngine(IMailSide side0, IMailSide side1, SyncStateStore state)
    {
        _sides = [side0, side1];
        _state = state;
    }

    /// <summary>Runs one synchronisation.</summary>
    public async Task<SyncReport> RunAsync(SyncOptions options, CancellationToken cancellationToken = default)
    {
        var report = new SyncReport { DryRun = options.DryRun };
        if (!options.DryRun)
        {
            var replayed = await new JournalReconciler(_sides, _state).ReconcileAsync(cancellationToken).ConfigureAwait(false);
            report.ReplayedIntents = replayed.Count;
            report.Warnings.AddRange(replayed);
        }
        var listed = new IReadOnlyList<FolderStatus>[2];
        for (var side = 0; side < 2; side++)
        {
            listed[side] = await _sides[side].ListFoldersAsync(cancellationToken).ConfigureAwait(false);
        }
        if (await WipedSideAsync(listed, options, cancellationToken).ConfigureAwait(false) is { } wiped)
        {
            report.Aborted = wiped;
            options.Progress?.Report(new SyncWarning("", wiped));
            return report;
        }
        var work = await new FolderPairing(_sides, _state, options, report).PairAsync(listed, cancellationToken).ConfigureAwait(false);

        var scans = new List<(FolderWork Work, FolderScan Scan)>();
        var gate = new object();
        await Parallel.ForEachAsync(work, Parallelism(options, cancellationToken), async (item, ct) =>
        {
            FolderScan? scan;
            try
            {
                scan = await ScanAsync(item, options, report, gate, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                lock (gate)
                {
                    report.Folders.Add(new FolderReport { Folder = item.Pair.Name, Error = $"{ex.GetType().Name}: {ex.Message}" });
                }
                return;
            }
            if (scan is not null)
            {
                lock (gate)
                {
                    scans.Add((item, scan));
                }
            }
        }).ConfigureAwait(false);
        scans.Sort((a, b) => string.CompareOrdinal(a.Scan.Name, b.Scan.Name));

        var moves = MovePhase.Detect(_sides, scans.Select(s => s.Scan).ToList());
        report.Moves.AddRange(moves);
        var failed = await new MovePhase(_sides, _state)
            .ApplyAsync(moves, scans.ToDictionary(s => s.Scan.Name, s => s.Scan), options.DryRun, cancellationToken)
            .ConfigureAwait(false);
        foreach (var (folder, error) in failed)
        {
            // A move that failed half-way leaves both folders in doubt: leave them to the next run and its journal check.
            scans.RemoveAll(s => s.Scan.Name == folder);
            report.Folders.Add(new FolderReport { Folder = folder, Error = error });
        }

        var guard = new DeletionGuard(_sides, _state, options);
        var runner = new FolderRunner(_sides, _state, options);
        var reports = new FolderReport[scans.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, scans.Count), Parallelism(options, cancellationToken), async (i, ct) =>
        {
            var scan = scans[i].Scan;
            var plan = FolderPlanner.Plan(scan);
            var folderReport = new FolderReport { Folder = scan.Name, Plan = plan };
            folderReport.Notes.AddRange(plan.Notes);
            reports[i] = folderReport;
            if (await guard.CheckAsync(scan, plan, folderReport, ct).ConfigureAwait(false))
            {
                await runner.RunAsync(scan, plan, folderReport, ct).ConfigureAwait(false);
            }
            options.Progress?.Report(new FolderFinished(scan.Name, folderReport));
            // A folder done lets go of its scan (every message's flags and identity) while the others still copy.
            scans[i] = default;
        }).ConfigureAwait(false);
        report.Folders.AddRange(reports.Where(r => r is not null));
        report.Folders.Sort((a, b) => string.CompareOrdinal(a.Folder, b.Folder));
        return report;
    }

    private static ParallelOptions Parallelism(SyncOptions options, CancellationToken ct) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelFolders), CancellationToken = ct };

    /// <summary>
    /// The classic disaster: one side came back completely empty (a wiped Maildir, a reset account) while the state
    /// says messages were synced. Deleting everything on the other side is never the answer without confirmation.
    /// </summary>
    private async Task<string?> WipedSideAsync(IReadOnlyList<FolderStatus>[] listed, SyncOptions options, CancellationToken ct)
    {
        if (options.AllowMassDelete)
        {
            return null;
        }
        var mapped = await _state.ReadAsync(tx => tx.CountMappings(), ct).ConfigureAwait(false);
        for (var side = 0; side < 2; side++)
        {
            if (mapped > 0 && listed[side].Sum(f => (long)f.MessageCount) == 0)
            {
                return $"{_sides[side].Name} is empty ({listed[side].Count} folders, no messages) but {mapped} messages were synced "
                       + $"before; nothing done. If that is really wanted, confirm with allowMassDelete.";
            }
        }
        return null;
    }

    private async Task<FolderScan?> ScanAsync(FolderWork item, SyncOptions options, SyncReport report, object gate, CancellationToken ct)
    {
        var pair = item.Pair;
        var status = item.Status;
        if (pair.StoppedReason is not null && !pair.StoppedReason.StartsWith(FolderPairing.DeletedPrefix, StringComparison.Ordinal)
            && !options.AllowMassDelete)
        {
            lock (gate)
            {
                report.Folders.Add(new FolderReport { Folder = pair.Name, Stopped = pair.StoppedReason });
            }
            return null;
        }
        if (status[0] is { } s0 && status[1] is { } s1 && pair.StoppedReason is null
            && pair.Side0 is { } p0 && p0.Unchanged(s0) && pair.Side1 is { } p1 && p1.Unchanged(s1))
        {
            lock (gate)
            {
                report.Folders.Add(new FolderReport { Folder = pair.Name, Unchanged = true, Complete = true });
            }
            return null;
        }
        var mappings = pair.Id == 0 ? new List<MappedMessage>() : await _state.ReadAsync(tx => tx.GetMappings(pair.Id), ct).ConfigureAwait(false);
        var effective = status.Select((s, side) => s ?? new FolderStatus(pair.Name, 0, 1, 0, 0)).ToArray();
        return await new FolderScanner(_sides).ScanAsync(pair, effective, mappings, ct).ConfigureAwait(false);
    }
}
