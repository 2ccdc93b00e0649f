using System.Text;
using System.Text.RegularExpressions;

namespace ImapProxy.Tests.Server;

/// <summary>
/// A recorded conversation. Lines: <c>C: text</c> the client sends a line; <c>L: text</c> a line of the literal
/// announced by <c>{#}</c> / <c>{#+}</c> in the last C: line (the length is counted for you; a CRLF ends the
/// command after the literal); <c>S: pattern</c> the server's next line. In patterns, <c>$name</c> captures a
/// token the first time and must match it afterwards (C: lines substitute it), and <c>*</c> matches anything,
/// except a leading <c>* </c> (an untagged reply) and <c>\*</c> (the literal flag). <c>#</c> starts a comment.
/// </summary>
internal sealed class Transcript
{
    private Transcript(IReadOnlyList<Step> steps) => Steps = steps;

    public IReadOnlyList<Step> Steps { get; }

    public static Transcript Parse(string text)
    {
        var steps = new List<Step>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.Length < 3 || line[1] != ':' || (line.Length > 3 && line[2] != ' '))
            {
                throw new FormatException($"transcript line {i + 1}: expected 'C: ', 'L: ' or 'S: ': {line}");
            }
            var body = line.Length > 3 ? line[3..] : "";
            switch (line[0])
            {
                case 'C':
                    if (body.Contains("{#}") || body.Contains("{#+}"))
                    {
                        var literal = new StringBuilder();
                        int j = i + 1;
                        for (; j < lines.Length && !lines[j].StartsWith("C:"); j++)
                        {
                            if (lines[j].StartsWith("L:"))
                            {
                                literal.Append(lines[j].Length > 3 ? lines[j][3..] : "").Append("\r\n");
                            }
                        }
                        body = body.Replace("{#}", $"{{{Encoding.UTF8.GetByteCount(literal.ToString())}}}")
                                   .Replace("{#+}", $"{{{Encoding.UTF8.GetByteCount(literal.ToString())}+}}");
                        steps.Add(new Step(StepKind.Client, body + "\r\n"));
                        // The literal lines become one client step, placed where its first L: line is.
                        for (int k = i + 1; k < j; k++)
                        {
                            if (lines[k].StartsWith("S:"))
                            {
                                steps.Add(new Step(StepKind.Server, lines[k].Length > 3 ? lines[k][3..] : ""));
                            }
                            else if (lines[k].StartsWith("L:"))
                            {
                                steps.Add(new Step(StepKind.Client, literal + "\r\n"));
                                while (k + 1 < j && lines[k + 1].StartsWith("L:"))
                                {
                                    k++;
                                }
                            }
                        }
                        i = j - 1;
                    }
                    else
                    {
                        steps.Add(new Step(StepKind.Client, body + "\r\n"));
                    }
                    break;
                case 'S':
                    steps.Add(new Step(StepKind.Server, body));
                    break;
                default:
                    throw new FormatException($"transcript line {i + 1}: unknown kind '{line[0]}'");
            }
        }
        return new Transcript(steps);
    }

    /// <summary>Turns a server-line pattern into a regex, binding or checking placeholders against <paramref name="bound"/>.</summary>
    public static bool Matches(string pattern, string actual, Dictionary<string, string> bound)
    {
        var regex = new StringBuilder("^");
        var names = new List<string>();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i > 0 && pattern[i - 1] != '\\')
            {
                regex.Append(".*?");
            }
            else if (c == '$' && i + 1 < pattern.Length && char.IsLetter(pattern[i + 1]))
            {
                int end = i + 1;
                while (end < pattern.Length && (char.IsLetterOrDigit(pattern[end]) || pattern[end] == '_'))
                {
                    end++;
                }
                var name = pattern[(i + 1)..end];
                if (bound.TryGetValue(name, out var value))
                {
                    regex.Append(Regex.Escape(value));
                }
                else
                {
                    regex.Append($"(?<{name}>[^\\s()\\[\\]]+)");
                    names.Add(name);
                }
                i = end - 1;
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }
        regex.Append('$');
        var match = Regex.Match(actual, regex.ToString());
        if (!match.Success)
        {
            return false;
        }
        foreach (var name in names)
        {
            bound[name] = match.Groups[name].Value;
        }
        return true;
    }

    public static string Substitute(string line, Dictionary<string, string> bound) =>
        Regex.Replace(line, @"\$([A-Za-z][A-Za-z0-9_]*)", m => bound.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    public enum StepKind
    {
        Client,
        Server,
    }

    public sealed record Step(StepKind Kind, string Text);
}
