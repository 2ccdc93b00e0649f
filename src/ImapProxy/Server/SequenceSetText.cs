using System.Text;

namespace ImapProxy.Server;

/// <summary>Writes numbers in the given order as a compact sequence set (runs of +1 become ranges) (<c>1:3,7,9:10</c>) for VANISHED, COPYUID, ESEARCH.</summary>
internal static class SequenceSetText
{
    public static string Format(IReadOnlyList<uint> ascending)
    {
        var text = new StringBuilder();
        for (int i = 0; i < ascending.Count; i++)
        {
            int j = i;
            while (j + 1 < ascending.Count && ascending[j + 1] == ascending[j] + 1)
            {
                j++;
            }
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(ascending[i]);
            if (j > i)
            {
                text.Append(':').Append(ascending[j]);
            }
            i = j;
        }
        return text.ToString();
    }
}
