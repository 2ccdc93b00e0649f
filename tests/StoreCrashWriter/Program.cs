using ImapProxy.Store;

// Usage: StoreCrashWriter <mirror> <source-dir> <seed>
// Appends messages from <source-dir>, changes flags and moves messages between INBOX and Archive until killed.
// Prints "ready" once the store is open and one line per completed operation ("append", "flags", "move").
// Or: StoreCrashWriter append <mirror> <message-file>: one append to INBOX (the permission tests run it as another
// user); prints "appended <uid>" (exit 0) or "StoreIOException: <message>" (exit 3).
if (args is ["append", var mirror, var messageFile])
{
    await using var appendStore = await AccountStore.OpenAsync(mirror, new MailStoreOptions { WatchFileSystem = false });
    var inbox = await appendStore.OpenFolderAsync("INBOX");
    try
    {
        await using var message = File.OpenRead(messageFile);
        var appended = await inbox.AppendAsync(message);
        Console.WriteLine($"appended {appended.Uid}");
        return 0;
    }
    catch (StoreIOException e)
    {
        Console.WriteLine($"StoreIOException: {e.Message}");
        return 3;
    }
}
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: StoreCrashWriter <mirror> <source-dir> <seed>");
    return 2;
}
var sources = Directory.GetFiles(args[1]).Order(StringComparer.Ordinal).ToArray();
var random = new Random(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
await using var store = await AccountStore.OpenAsync(args[0]);
if (!store.FolderExists("Archive")) await store.CreateFolderAsync("Archive");
MailFolder[] folders = [await store.OpenFolderAsync("INBOX"), await store.OpenFolderAsync("Archive")];
Console.WriteLine("ready");
Console.Out.Flush();

while (true)
{
    var folder = folders[random.Next(2)];
    int op = random.Next(4);
    var messages = (await folder.SelectAsync()).Messages;
    if (op <= 1 || messages.Count == 0)
    {
        // Trickled in small pieces, like an APPEND streamed from the network, so kills often land mid-write.
        await using var source = new TrickleStream(File.OpenRead(sources[random.Next(sources.Length)]));
        var flags = (MessageFlags)random.Next(32);
        await folder.AppendAsync(source, flags, random.Next(3) == 0 ? ["$Label1"] : null);
        Console.WriteLine("append");
    }
    else if (op == 2)
    {
        uint uid = messages[random.Next(messages.Count)].Uid;
        await folder.StoreFlagsAsync([uid], FlagChangeMode.Replace, (MessageFlags)random.Next(32));
        Console.WriteLine("flags");
    }
    else
    {
        uint uid = messages[random.Next(messages.Count)].Uid;
        await folder.MoveToAsync([uid], folders[0] == folder ? folders[1] : folders[0]);
        Console.WriteLine("move");
    }
    Console.Out.Flush();
}

/// <summary>Hands out at most 16 KB per read and yields between reads.</summary>
internal sealed class TrickleStream(Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 16 * 1024));
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(1, cancellationToken);
        return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 16 * 1024)], cancellationToken);
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
