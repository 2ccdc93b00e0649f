namespace ImapProxy.TestSupport;

/// <summary>Files of the repository the tests run from (scripts, contrib, docs).</summary>
public static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory holding <c>ImapProxy.sln</c>, found by walking up from the test binaries.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>A path below <see cref="Root"/>, given with forward slashes.</summary>
    public static string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ImapProxy.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no ImapProxy.sln above {AppContext.BaseDirectory}");
    }
}
