using System.Globalization;

namespace ImapProxy.Protocol;

/// <summary>IMAP <c>date</c> (SEARCH) and <c>date-time</c> (INTERNALDATE, APPEND) text, RFC 3501 §9.</summary>
public static class ImapDate
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>date-text = date-day "-" date-month "-" date-year, e.g. <c>1-Feb-1994</c>.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        var i = 0;
        if (!TryDigits(text, ref i, 1, 2, out var day)) return false;
        if (!TryParseMonthYear(text, ref i, out var month, out var year) || i != text.Length) return false;
        return TryMake(year, month, day, out date);
    }

    /// <summary>The inside of a date-time (without the quotes): <c>17-Jul-1996 02:44:25 -0700</c>; the day may be
    /// space-padded.</summary>
    public static bool TryParseDateTime(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        var i = 0;
        if (text.Length > 0 && text[0] == ' ') i++;
        if (!TryDigits(text, ref i, i == 1 ? 1 : 2, i == 1 ? 1 : 2, out var day)) return false;
        if (!TryParseMonthYear(text, ref i, out var month, out var year)) return false;
        if (!Expect(text, ref i, ' ')
            || !TryDigits(text, ref i, 2, 2, out var hour) || !Expect(text, ref i, ':')
            || !TryDigits(text, ref i, 2, 2, out var minute) || !Expect(text, ref i, ':')
            || !TryDigits(text, ref i, 2, 2, out var second) || !Expect(text, ref i, ' ')
            || i >= text.Length || (text[i] != '+' && text[i] != '-'))
            return false;
        var sign = text[i++] == '-' ? -1 : 1;
        if (!TryDigits(text, ref i, 4, 4, out var zone) || i != text.Length) return false;
        var zh = zone / 100;
        var zm = zone % 100;
        if (zh > 14 || zm > 59 || hour > 23 || minute > 59 || second > 60) return false;
        if (!TryMake(year, month, day, out var date)) return false;
        var offset = new TimeSpan(zh, zm, 0) * sign;
        if (offset.Duration() > TimeSpan.FromHours(14)) return false;
        value = new DateTimeOffset(date.Year, date.Month, date.Day, hour, minute, Math.Min(second, 59), offset);
        return true;
    }

    /// <summary>Formats a date as <c>d-Mon-yyyy</c>.</summary>
    public static string FormatDate(DateOnly date) =>
        $"{date.Day.ToString(CultureInfo.InvariantCulture)}-{Months[date.Month - 1]}-{date.Year:D4}";

    /// <summary>Formats the inside of a date-time: <c>dd-Mon-yyyy HH:mm:ss +zzzz</c>.</summary>
    public static string FormatDateTime(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{value.Day:D2}-{Months[value.Month - 1]}-{value.Year:D4} {value.Hour:D2}:{value.Minute:D2}:{value.Second:D2} {sign}{offset.Hours:D2}{offset.Minutes:D2}");
    }

    private static bool TryParseMonthYear(ReadOnlySpan<byte> text, ref int i, out int month, out int year)
    {
        month = year = 0;
        if (!Expect(text, ref i, '-') || i + 3 > text.Length) return false;
        for (var m = 0; m < 12; m++)
        {
            var name = Months[m];
            if (char.ToUpperInvariant((char)text[i]) == char.ToUpperInvariant(name[0])
                && char.ToUpperInvariant((char)text[i + 1]) == char.ToUpperInvariant(name[1])
                && char.ToUpperInvariant((char)text[i + 2]) == char.ToUpperInvariant(name[2]))
            {
                month = m + 1;
                break;
            }
        }
        if (month == 0) return false;
        i += 3;
        return Expect(text, ref i, '-') && TryDigits(text, ref i, 4, 4, out year);
    }

    private static bool TryMake(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> text, ref int i, char c)
    {
        if (i >= text.Length || text[i] != c) return false;
        i++;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, ref int i, int min, int max, out int value)
    {
        value = 0;
        var start = i;
        while (i < text.Length && i - start < max && text[i] >= '0' && text[i] <= '9') value = value * 10 + (text[i++] - '0');
        return i - start >= min;
    }
}
