using System.Text;

namespace ImapProxy.Server.Sort;

/// <summary>A node of a thread tree: a message, or a dummy (no message) that only holds children.</summary>
internal sealed class ThreadNode
{
    public ThreadNode(SortMessage? message) => Message = message;

    /// <summary>Null for a dummy.</summary>
    public SortMessage? Message { get; set; }

    public ThreadNode? Parent { get; set; }

    public List<ThreadNode> Children { get; } = [];

    public bool IsDummy => Message is null;

    /// <summary>The message that stands for this node when sorting and grouping: itself, or a dummy's first child's.</summary>
    public SortMessage? Representative => Message ?? (Children.Count > 0 ? Children[0].Representative : null);

    public void Add(ThreadNode child)
    {
        child.Parent = this;
        Children.Add(child);
    }

    public void Unlink()
    {
        Parent?.Children.Remove(this);
        Parent = null;
    }

    /// <summary>True when <paramref name="node"/> is this node or one of its ancestors.</summary>
    public bool IsSelfOrAncestor(ThreadNode node)
    {
        for (var n = this; n is not null; n = n.Parent)
        {
            if (n == node)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Sent date, then sequence number (RFC 5256 §2.2, ties in mailbox order); dummies by their first child.</summary>
    public static int CompareByDate(ThreadNode a, ThreadNode b)
    {
        var x = a.Representative;
        var y = b.Representative;
        if (x is null || y is null)
        {
            return (x is null).CompareTo(y is null);
        }
        var order = x.SentDateUtcTicks.CompareTo(y.SentDateUtcTicks);
        return order != 0 ? order : x.SequenceNumber.CompareTo(y.SequenceNumber);
    }

    /// <summary>The thread-list syntax of RFC 5256 §5: a chain for single children, nested lists for siblings.
    /// Iterative, so a thread nested thousands deep cannot exhaust the stack.</summary>
    public static string Format(IReadOnlyList<ThreadNode> roots, bool byUid)
    {
        var text = new StringBuilder();
        var work = new Stack<object>(); // a ThreadNode to write as a list, or text to append
        for (var i = roots.Count - 1; i >= 0; i--)
        {
            work.Push(roots[i]);
        }
        while (work.TryPop(out var item))
        {
            if (item is string literal)
            {
                text.Append(literal);
                continue;
            }
            text.Append('(');
            work.Push(")");
            var node = (ThreadNode)item;
            var first = true;
            while (true)
            {
                if (node.Message is { } message)
                {
                    text.Append(first ? "" : " ").Append(byUid ? message.Info.Uid : (uint)message.SequenceNumber);
                    first = false;
                }
                if (node.Children.Count == 1 && !node.IsDummy)
                {
                    node = node.Children[0];
                    continue;
                }
                if (node.Children.Count > 0 && !first)
                {
                    text.Append(' ');
                }
                for (var i = node.Children.Count - 1; i >= 0; i--)
                {
                    work.Push(node.Children[i]);
                }
                break;
            }
        }
        return text.ToString();
    }

    /// <summary>Every node under <paramref name="roots"/>, children before their parent.</summary>
    public static List<ThreadNode> PostOrder(IEnumerable<ThreadNode> roots)
    {
        var result = new List<ThreadNode>();
        var work = new Stack<(ThreadNode Node, bool Expanded)>(roots.Reverse().Select(r => (r, false)));
        while (work.TryPop(out var entry))
        {
            if (entry.Expanded)
            {
                result.Add(entry.Node);
                continue;
            }
            work.Push((entry.Node, true));
            for (var i = entry.Node.Children.Count - 1; i >= 0; i--)
            {
                work.Push((entry.Node.Children[i], false));
            }
        }
        return result;
    }
}
