namespace ImapProxy.Server.Sort;

/// <summary>THREAD=REFERENCES (RFC 5256 §3, after Jamie Zawinski's algorithm); the step numbers are the RFC's.</summary>
internal static class ReferencesThreader
{
    public static List<ThreadNode> Thread(IEnumerable<SortMessage> messages)
    {
        var all = new List<ThreadNode>();
        var byId = new Dictionary<string, ThreadNode>(StringComparer.Ordinal);
        foreach (var message in messages.OrderBy(m => m.SequenceNumber))
        {
            LinkMessage(message, byId, all);
        }
        var roots = all.Where(n => n.Parent is null).ToList(); // step 2
        roots = Prune(roots); // step 3
        foreach (var root in roots.Where(r => r.IsDummy))
        {
            root.Children.Sort(ThreadNode.CompareByDate); // step 4: a dummy sorts by its first child
        }
        roots.Sort(ThreadNode.CompareByDate);
        roots = GroupBySubject(roots); // step 5
        foreach (var node in ThreadNode.PostOrder(roots)) // step 6: youngest sibling sets first
        {
            node.Children.Sort(ThreadNode.CompareByDate);
        }
        roots.Sort(ThreadNode.CompareByDate);
        return roots;
    }

    /// <summary>Step 1: the message's own node, then the links along its references.</summary>
    private static void LinkMessage(SortMessage message, Dictionary<string, ThreadNode> byId, List<ThreadNode> all)
    {
        ThreadNode Node(string id)
        {
            if (!byId.TryGetValue(id, out var node))
            {
                byId[id] = node = new ThreadNode(null);
                all.Add(node);
            }
            return node;
        }

        // A message without a Message-ID, or with one an earlier message already has, gets a unique one:
        // a node of its own that no reference can reach.
        ThreadNode current;
        var id = MessageIds.First(message.Fields.MessageId);
        if (id is not null && Node(id) is { IsDummy: true } placeholder)
        {
            current = placeholder;
            current.Message = message;
        }
        else
        {
            current = new ThreadNode(message);
            all.Add(current);
        }

        var references = MessageIds.Parse(message.Fields.References);
        if (references.Count == 0 && MessageIds.First(message.Fields.InReplyTo) is { } inReplyTo)
        {
            references.Add(inReplyTo);
        }
        // Step 1A: each reference is the parent of the next, unless the child has a parent already or the
        // link would close a loop.
        for (var i = 0; i + 1 < references.Count; i++)
        {
            var parent = Node(references[i]);
            var child = Node(references[i + 1]);
            if (child.Parent is null && !parent.IsSelfOrAncestor(child))
            {
                parent.Add(child);
            }
        }
        // Step 1B: the last reference is the parent, replacing any parent a truncated References gave before;
        // with no references the message has no parent.
        current.Unlink();
        if (references.Count > 0)
        {
            var parent = Node(references[^1]);
            if (!parent.IsSelfOrAncestor(current))
            {
                parent.Add(current);
            }
        }
    }

    /// <summary>Step 3: dummies go; their children move up, except that several children of a top-level dummy
    /// stay under it rather than all becoming roots.</summary>
    private static List<ThreadNode> Prune(List<ThreadNode> roots)
    {
        foreach (var node in ThreadNode.PostOrder(roots))
        {
            if ((node.Parent is null && node.IsDummy) || !node.Children.Any(c => c.IsDummy))
            {
                continue; // a top-level dummy's children are PruneRoot's business
            }
            var kept = new List<ThreadNode>();
            foreach (var child in node.Children)
            {
                if (!child.IsDummy)
                {
                    kept.Add(child);
                    continue;
                }
                foreach (var grandchild in child.Children)
                {
                    grandchild.Parent = node;
                    kept.Add(grandchild);
                }
            }
            node.Children.Clear();
            node.Children.AddRange(kept);
        }
        var result = new List<ThreadNode>();
        foreach (var root in roots)
        {
            PruneRoot(root, result);
        }
        return result;
    }

    private static void PruneRoot(ThreadNode root, List<ThreadNode> result)
    {
        // Every other node is dummy-free below by now; only a top-level dummy can still have dummy children.
        if (root.IsDummy && root.Children.Count > 0)
        {
            var kept = new List<ThreadNode>();
            foreach (var child in root.Children)
            {
                if (child.IsDummy)
                {
                    kept.AddRange(child.Children);
                }
                else
                {
                    kept.Add(child);
                }
            }
            root.Children.Clear();
            foreach (var child in kept)
            {
                root.Add(child);
            }
        }
        if (!root.IsDummy)
        {
            result.Add(root);
        }
        else if (root.Children.Count == 1)
        {
            var only = root.Children[0];
            only.Parent = null;
            result.Add(only);
        }
        else if (root.Children.Count > 1)
        {
            result.Add(root);
        }
    }

    /// <summary>Step 5: top-level threads with the same base subject are gathered.</summary>
    private static List<ThreadNode> GroupBySubject(List<ThreadNode> roots)
    {
        var table = new Dictionary<string, ThreadNode>(StringComparer.Ordinal);
        foreach (var root in roots) // 5B, 5C
        {
            var key = SubjectKey(root);
            if (key is null)
            {
                continue;
            }
            if (!table.TryGetValue(key, out var held)
                || (root.IsDummy && !held.IsDummy)
                || (IsReplyOrForward(held) && !IsReplyOrForward(root)))
            {
                table[key] = root;
            }
        }
        var result = new List<ThreadNode>();
        foreach (var root in roots) // 5D
        {
            if (root.Parent is not null)
            {
                continue; // an earlier merge already put it under a new dummy
            }
            var key = SubjectKey(root);
            if (key is null || table[key] == root)
            {
                result.Add(root);
                continue;
            }
            var held = table[key];
            if (root.IsDummy && held.IsDummy)
            {
                foreach (var child in root.Children.ToList())
                {
                    held.Add(child);
                }
            }
            else if (held.IsDummy || (IsReplyOrForward(root) && !IsReplyOrForward(held)))
            {
                held.Add(root);
            }
            else
            {
                var dummy = new ThreadNode(null);
                var position = result.IndexOf(held);
                dummy.Add(held);
                dummy.Add(root);
                table[key] = dummy;
                if (position >= 0)
                {
                    result[position] = dummy;
                }
                else
                {
                    result.Add(dummy);
                }
            }
        }
        return result;
    }

    private static string? SubjectKey(ThreadNode node)
    {
        var key = node.Representative?.Subject.Key;
        return string.IsNullOrEmpty(key) ? null : key;
    }

    private static bool IsReplyOrForward(ThreadNode node) => node.Message?.Subject.IsReplyOrForward ?? false;
}
