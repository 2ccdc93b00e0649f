namespace ImapProxy.Upstream.Sync.Adapters;

/// <summary>Where a message waits between sides: in memory up to 1 MiB, else in a temporary file that deletes itself.</summary>
internal static class SpoolStream
{
    /// <summary>Bodies up to this size stay in memory.</summary>
    public const int InMemoryLimit = 1 << 20;

    /// <summary>A read/write stream for about <paramref name="length"/> octets.</summary>
    public static Stream Create(long length) => length <= InMemoryLimit
        ? new MemoryStream((int)Math.Max(0, length))
        : new FileStream(Path.Combine(Path.GetTempPath(), $"imapproxy-body-{Guid.NewGuid():N}"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
}
