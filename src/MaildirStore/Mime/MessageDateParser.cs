using System.Globalization;

namespace ImapProxy.Store.Mime;

/// <summary>Lenient RFC 5322 §3.3 date-time parsing, obsolete forms included (§4.3: two-digit years, zone names).</summary>
public static class MessageDateParser
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>The date, or null when the text is not a date.</summary>
    public static DateTimeOffset? TryParse(string raw)
    {
        var tokens = Tokenize(raw);
        int i = 0;
        if (i < tokens.Count && tokens[i].Length >= 3 && char.IsAsciiLetter(tokens[i][0]) && MonthIndex(tokens[i]) < 0)
        {
            i++; // day-of-week
        }
        if (i + 4 > tokens.Count)
        {
            return null;
        }
        int day, month;
        // "21 Nov 2026" and the odd "Nov 21 2026" both occur.
        if (int.TryParse(tokens[i], NumberStyles.None, CultureInfo.InvariantCulture, out day))
        {
            month = MonthIndex(tokens[i + 1]);
        }
        else
        {
            month = MonthIndex(tokens[i]);
            if (!int.TryParse(tokens[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out day))
            {
                return null;
            }
        }
        if (month < 0 || !int.TryParse(tokens[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out int year))
        {
            return null;
        }
        if (tokens[i + 2].Length <= 2)
        {
            year += year < 50 ? 2000 : 1900;
        }
        else if (tokens[i + 2].Length == 3)
        {
            year += 1900;
        }
        var time = tokens[i + 3].Split(':');
        if (time.Length < 2
            || !int.TryParse(time[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hour)
            || !int.TryParse(time[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minute))
        {
            return null;
        }
        int second = 0;
        if (time.Length > 2 && !int.TryParse(time[2], NumberStyles.None, CultureInfo.InvariantCulture, out second))
        {
            return null;
        }
        var offset = i + 4 < tokens.Count ? ParseZone(tokens[i + 4]) : TimeSpan.Zero;
        try
        {
            return new DateTimeOffset(year, month + 1, day, hour, minute, Math.Min(second, 59), offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static List<string> Tokenize(string raw)
    {
        var tokens = new List<string>();
        int depth = 0;
        var current = new System.Text.StringBuilder();
        foreach (char c in raw)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0 && c is not (' ' or '\t' or '\r' or '\n' or ','))
            {
                current.Append(c);
                continue;
            }
            if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }
        return tokens;
    }

    private static int MonthIndex(string token) =>
        token.Length >= 3 ? Array.IndexOf(Months, token[..3].ToLowerInvariant()) : -1;

    private static TimeSpan ParseZone(string zone)
    {
        if ((zone[0] is '+' or '-') && zone.Length == 5
            && int.TryParse(zone.AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hh)
            && int.TryParse(zone.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int mm)
            && hh < 24 && mm < 60)
        {
            var span = new TimeSpan(hh, mm, 0);
            return zone[0] == '-' ? -span : span;
        }
        return zone.ToUpperInvariant() switch
        {
            "EDT" => TimeSpan.FromHours(-4),
            "EST" or "CDT" => TimeSpan.FromHours(-5),
            "CST" or "MDT" => TimeSpan.FromHours(-6),
            "MST" or "PDT" => TimeSpan.FromHours(-7),
            "PST" => TimeSpan.FromHours(-8),
            _ => TimeSpan.Zero, // UT, GMT, military zones (RFC 5322 §4.3 says treat those as -0000)
        };
    }
}
