using System.Text;
using ImapProxy.TestSupport;

namespace ImapProxy.Bench;

/// <summary>
/// The server benchmarks' mail, written identically into Dovecot's Maildir and into the mirror: INBOX holds the
/// corpus, <c>Synthetic</c> the synthetic messages, <c>Large</c> many tiny messages (the SELECT target). Every
/// third message is \Seen.
/// </summary>
internal sealed class BenchMail
{
    public const string LargeFolder = "Large";
    private readonly int _synthetic;
    private readonly int _large;

    public BenchMail(int synthetic, int large)
    {
        _synthetic = synthetic;
        _large = large;
    }

    public string Describe() => $"{Corpus.Files.Count:N0} corpus + {_synthetic:N0} synthetic messages, and {_large:N0} in {LargeFolder}";

    /// <summary>Writes all folders under <paramref name="root"/> (Maildir++); through <paramref name="seeder"/> when given (Dovecot's files, owned by its mail user).</summary>
    public async Task WriteAsync(string root, MaildirSeeder? seeder)
    {
        if (Corpus.Files.Count == 0)
        {
            throw new InvalidOperationException($"No corpus in {Corpus.Directory}: run scripts/fetch-corpus");
        }
        var folders = new List<(string Folder, int Count, Func<int, byte[]> Message)>
        {
            ("INBOX", Corpus.Files.Count, i => File.ReadAllBytes(Corpus.Files[i])),
            ("Synthetic", _synthetic, i => SyntheticMail.Create(i, crlf: false)),
            (LargeFolder, _large, i => Encoding.ASCII.GetBytes($"From: a{i}@example.org\nSubject: message {i}\nMessage-ID: <{i}@bench>\n\nbody {i}\n")),
        };
        foreach (var (folder, count, message) in folders)
        {
            string? cur = null;
            if (seeder is null)
            {
                string path = folder == "INBOX" ? root : Path.Combine(root, "." + folder);
                cur = Path.Combine(path, "cur");
                Directory.CreateDirectory(cur);
                Directory.CreateDirectory(Path.Combine(path, "new"));
                Directory.CreateDirectory(Path.Combine(path, "tmp"));
            }
            for (int i = 0; i < count; i++)
            {
                string flags = i % 3 == 0 ? "S" : "";
                if (seeder is not null)
                {
                    await seeder.AddAsync(folder, message(i), flags);
                }
                else
                {
                    await File.WriteAllBytesAsync(Path.Combine(cur!, $"1700000000.M{i}P1.bench:2,{flags}"), message(i));
                }
            }
        }
    }
}
