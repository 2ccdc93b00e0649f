using System.Diagnostics;
using System.Security.Cryptography;
using ImapProxy.Store;
using ImapProxy.TestSupport;
using Microsoft.Data.Sqlite;

namespace ImapProxy.Store.Tests;

/// <summary>
/// kill -9 a writer process (StoreCrashWriter: appends, flag changes, moves) at random moments, then check that
/// nothing is lost or half-written and that the index agrees with the disk.
/// </summary>
public sealed class CrashTests
{
    private const int Trials = 24;
    private static readonly string[] Folders = ["", ".Archive"];

    [Fact]
    public async Task Killing_a_writer_at_random_points_loses_nothing_and_leaves_nothing_half_written()
    {
        await using var mirror = new TempMirror();
        string sources = Path.Combine(mirror.Root + "-sources");
        var hashes = WriteSources(sources);
        try
        {
            var random = new Random(20261121);
            int totalOperations = 0;
            for (int trial = 0; trial < Trials; trial++)
            {
                int before = MessageFiles(mirror.Root).Count;
                var (appended, operations) = await RunAndKill(mirror.Root, sources, trial, random.Next(0, 1500));
                totalOperations += operations;

                var files = MessageFiles(mirror.Root);
                Assert.InRange(files.Count, before + appended, before + appended + 1);
                foreach (var file in files)
                    Assert.True(hashes.Contains(Sha256(file)), $"trial {trial}: {file} is not a complete copy of a source message");
                var rawRows = await CheckIndexAgainstDisk(mirror.Root, files, trial);
                await CheckReopenedStore(mirror.Root, files, rawRows, hashes, trial);
            }
            Assert.True(totalOperations > Trials, $"only {totalOperations} operations completed; the writer hardly ran");
        }
        finally
        {
            Directory.Delete(sources, recursive: true);
        }
    }

    private static HashSet<string> WriteSources(string dir)
    {
        Directory.CreateDirectory(dir);
        var random = new Random(7);
        var hashes = new HashSet<string>();
        for (int i = 0; i < 16; i++)
        {
            int lines = i % 4 == 0 ? 40_000 : random.Next(5, 3_000); // some of ~3 MB, so kills land mid-write
            var body = new System.Text.StringBuilder();
            for (int l = 0; l < lines; l++) body.Append(Convert.ToBase64String(random.GetItems<byte>(Enumerable.Range(0, 256).Select(b => (byte)b).ToArray(), 57))).Append('\n');
            string path = Path.Combine(dir, $"m{i:D2}.eml");
            File.WriteAllText(path, $"From: crash@example.org\nSubject: source {i}\nMessage-ID: <{i}@crash>\n\n{body}");
            hashes.Add(Sha256(path));
        }
        return hashes;
    }

    private static async Task<(int Appends, int Operations)> RunAndKill(string root, string sources, int seed, int delayMs)
    {
        string writer = Path.Combine(AppContext.BaseDirectory, "StoreCrashWriter.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { writer, root, sources, seed.ToString(System.Globalization.CultureInfo.InvariantCulture) }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        int appends = 0, operations = 0;
        var ready = new TaskCompletionSource();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "ready") ready.TrySetResult();
                else
                {
                    if (line == "append") Interlocked.Increment(ref appends);
                    Interlocked.Increment(ref operations);
                }
            }
        });
        var stderr = process.StandardError.ReadToEndAsync();
        var first = await Task.WhenAny(ready.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != ready.Task)
        {
            if (!process.HasExited) process.Kill();
            Assert.Fail($"writer did not start: {await stderr}");
        }
        await Task.Delay(delayMs);
        if (process.HasExited) Assert.Fail($"writer died on its own: {await stderr}");
        process.Kill(); // SIGKILL
        await process.ReapAsync();
        await reading.WithinAsync("the killed writer's output to end");
        return (appends, operations);
    }

    private static List<string> MessageFiles(string root) =>
        Folders.SelectMany(f => new[] { "new", "cur" }.Select(s => Path.Combine(root, f, s)))
            .Where(Directory.Exists).SelectMany(Directory.GetFiles).ToList();

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>Reads the index as the killed writer left it; at most the one operation in flight may disagree.</summary>
    private static async Task<Dictionary<string, (string Folder, uint Uid)>> CheckIndexAgainstDisk(string root, List<string> files, int trial)
    {
        var rows = new Dictionary<string, (string Folder, uint Uid)>(StringComparer.Ordinal);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(root, ".imapproxy-index.sqlite")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT f.name, m.uid, m.filename, m.in_new FROM messages m JOIN folders f ON f.id = m.folder_id";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                string folder = reader.GetString(0) == "INBOX" ? "" : ".Archive";
                string path = Path.Combine(root, folder, reader.GetInt64(3) != 0 ? "new" : "cur", reader.GetString(2));
                rows[path] = (folder, (uint)reader.GetInt64(1));
            }
        }
        var onDisk = files.ToHashSet(StringComparer.Ordinal);
        int rowsWithoutFile = rows.Keys.Count(p => !onDisk.Contains(p));
        int filesWithoutRow = files.Count(f => !rows.ContainsKey(f));
        Assert.True(rowsWithoutFile <= 1, $"trial {trial}: {rowsWithoutFile} index rows without their file");
        Assert.True(filesWithoutRow <= 1, $"trial {trial}: {filesWithoutRow} files unknown to the index");
        return rows;
    }

    private static async Task CheckReopenedStore(string root, List<string> files, Dictionary<string, (string Folder, uint Uid)> rawRows,
        HashSet<string> hashes, int trial)
    {
        await using var store = await AccountStore.OpenAsync(root, new MailStoreOptions { WatchFileSystem = false });
        int seen = 0;
        foreach (var (name, dir) in new[] { ("INBOX", ""), ("Archive", ".Archive") })
        {
            if (!store.FolderExists(name)) continue;
            var folder = await store.OpenFolderAsync(name);
            var messages = (await folder.SelectAsync()).Messages;
            Assert.Equal(messages.Count, messages.Select(m => m.Uid).Distinct().Count());
            seen += messages.Count;
            foreach (var m in messages)
            {
                await using var stream = await folder.OpenMessageAsync(m.Uid);
                Assert.Contains(Convert.ToHexString(await SHA256.HashDataAsync(stream)), hashes);
            }
            // Messages the index knew under their current file keep their UID.
            var uids = messages.Select(m => m.Uid).ToHashSet();
            foreach (var (path, row) in rawRows.Where(r => r.Value.Folder == dir && File.Exists(r.Key)))
                Assert.True(uids.Contains(row.Uid), $"trial {trial}: UID {row.Uid} of {path} was renumbered");
        }
        Assert.Equal(files.Count, seen);
    }
}
