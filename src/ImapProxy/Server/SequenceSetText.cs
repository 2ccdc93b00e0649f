using System.Text;

namespace ImapProxy.Server;

/// <summary>Writes numbers in the given order as a compact sequence set (runs of +1 become ranges) (<c>1:3,7,9:10</c>) for VANISHED, COPYUID, ESEARCH.</summary>
internal static class SequenceSetText
{
    public static string Format(IReadOnlyList<uint> numbers)
    {
        var text = new StringBuilder();
        for (int i = 0; i < numbers.Count; i++)
        {
            int j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1)
            {
                j++;
            }
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(numbers[i]);
            if (j > i)
            {
                text.Append(':').Append(numbers[j]);
            }
            i = j;
        }
        return text.ToString();
    }
}
