namespace ImapProxy.TestSupport;

/// <summary>
/// The SpamAssassin public corpus (6,046 real messages, CC0) fetched by scripts/fetch-corpus: one <c>.eml</c> per
/// message, LF line ends, mbox <c>From </c> line dropped. Tests that need it fail (never skip) when it is missing.
/// </summary>
public static class Corpus
{
    /// <summary>How many messages a complete cache holds.</summary>
    public const int ExpectedCount = 6046;

    private static readonly Lazy<IReadOnlyList<string>> LazyFiles = new(LoadFiles);

    /// <summary>The cache directory: <c>$IMAPPROXY_CORPUS</c>, or <c>~/.cache/imapproxy/corpus</c>.</summary>
    public static string Directory
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("IMAPPROXY_CORPUS");
            return string.IsNullOrEmpty(configured)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "imapproxy", "corpus")
                : configured;
        }
    }

    /// <summary>All message files, in a stable (ordinal) order; throws when the cache is missing or incomplete.</summary>
    public static IReadOnlyList<string> Files => LazyFiles.Value;

    /// <summary>Reads message <paramref name="index"/> of <see cref="Files"/>.</summary>
    public static Task<byte[]> ReadAsync(int index, CancellationToken cancellationToken = default) =>
        File.ReadAllBytesAsync(Files[index], cancellationToken);

    private static IReadOnlyList<string> LoadFiles()
    {
        var directory = Directory;
        var marker = Path.Combine(directory, ".complete");
        if (!File.Exists(marker))
        {
            throw new InvalidOperationException(
                $"The SpamAssassin corpus is missing or incomplete in {directory}: run scripts/fetch-corpus " +
                "(or set IMAPPROXY_CORPUS to where it lives).");
        }
        var files = System.IO.Directory.GetFiles(directory, "*.eml");
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length != ExpectedCount)
        {
            throw new InvalidOperationException(
                $"The corpus in {directory} has {files.Length} messages, expected {ExpectedCount}: delete it and run scripts/fetch-corpus.");
        }
        return files;
    }
}
