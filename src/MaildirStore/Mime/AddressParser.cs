using System.Text;

namespace ImapProxy.Store.Mime;

/// <summary>
/// One entry of an address list as ENVELOPE shows it. A group is a start entry (<see cref="Mailbox"/> = group
/// name, <see cref="Domain"/> null) and an end entry (all null), RFC 3501 §7.4.2.
/// </summary>
public sealed record EnvelopeAddress(string? Name, string? Route, string? Mailbox, string? Domain)
{
    /// <summary>True for the entry that opens a group.</summary>
    public bool IsGroupStart => Domain is null && Mailbox is not null;

    /// <summary>True for the entry that closes a group.</summary>
    public bool IsGroupEnd => Domain is null && Mailbox is null;
}

/// <summary>
/// RFC 5322 §3.4 address-list parser, lenient the way Dovecot 2.3 is: obsolete routes, comments as display
/// names, groups, and broken input repaired with MISSING_MAILBOX / MISSING_DOMAIN / SYNTAX_ERROR placeholders
/// so the ENVELOPE is byte-identical to Dovecot's.
/// </summary>
public static class AddressParser
{
    /// <summary>Parses a raw (unfolded or folded) header value; empty when it holds no address.</summary>
    public static IReadOnlyList<EnvelopeAddress> Parse(string rawValue) => new Context(rawValue).ParseList();

    private sealed class Context(string text)
    {
        private readonly Rfc822Scanner s = new(text);
        private readonly List<EnvelopeAddress> result = [];
        private readonly StringBuilder str = new();
        private string? name, route, mailbox, domain;
        private bool invalid;

        public List<EnvelopeAddress> ParseList()
        {
            if (s.SkipLwsp() <= 0)
            {
                return result;
            }
            // address-list = (address *("," address)) / obs-addr-list
            for (int guard = 0; guard < 100_000; guard++)
            {
                if (ParseAddress() == 0)
                {
                    break;
                }
                if (s.AtEnd || s.Cur != ',')
                {
                    break;
                }
                s.Pos++;
                int ret = s.SkipLwsp();
                if (ret <= 0)
                {
                    if (ret < 0)
                    {
                        AddFixed();
                    }
                    break;
                }
            }
            return result;
        }

        private void Add()
        {
            result.Add(new EnvelopeAddress(name, route, mailbox, domain));
            name = route = mailbox = domain = null;
            invalid = false;
        }

        private void AddFixed()
        {
            if (mailbox is null)
            {
                mailbox = "MISSING_MAILBOX";
                invalid = true;
            }
            if (string.IsNullOrEmpty(domain))
            {
                domain = "MISSING_DOMAIN";
                invalid = true;
            }
            Add();
        }

        // address = mailbox / group
        private int ParseAddress()
        {
            int start = s.Pos;
            int ret = ParseGroup();
            if (ret < 0)
            {
                s.Pos = start;
                ret = ParseMailbox();
            }
            return ret;
        }

        // group = display-name ":" [group-list] ";" [CFWS]
        private int ParseGroup()
        {
            str.Clear();
            if (s.ParsePhrase(str) <= 0 || s.Cur != ':')
            {
                return -1;
            }
            s.Pos++;
            int ret = s.SkipLwsp();
            mailbox = str.ToString();
            Add();
            if (ret > 0 && s.Cur != ';')
            {
                while (true)
                {
                    ParseMailbox();
                    if (s.AtEnd || s.Cur != ',')
                    {
                        break;
                    }
                    s.Pos++;
                    if (s.SkipLwsp() <= 0)
                    {
                        ret = -1;
                        break;
                    }
                }
            }
            if (ret >= 0)
            {
                if (s.AtEnd || s.Cur != ';')
                {
                    ret = -1;
                }
                else
                {
                    s.Pos++;
                    ret = s.SkipLwsp();
                }
            }
            Add();
            return ret == 0 ? 0 : 1;
        }

        // mailbox = name-addr / addr-spec
        private int ParseMailbox()
        {
            int start = s.Pos;
            int ret = ParseNameAddr();
            if (ret < 0)
            {
                s.Pos = start;
                ret = ParseAddrSpec();
                if (invalid && name is null && mailbox is not null && domain is null)
                {
                    name = mailbox;
                    mailbox = null;
                }
            }
            if (ret < 0)
            {
                invalid = true;
            }
            AddFixed();
            return ret;
        }

        // name-addr = [display-name] angle-addr
        private int ParseNameAddr()
        {
            str.Clear();
            if (s.ParsePhrase(str) <= 0 || s.Cur != '<')
            {
                return -1;
            }
            name = str.Length == 0 ? null : str.ToString();
            if (ParseAngleAddr() < 0)
            {
                domain = "SYNTAX_ERROR";
                invalid = true;
            }
            return s.AtEnd ? 0 : 1;
        }

        // angle-addr = "<" [obs-route] addr-spec ">"
        private int ParseAngleAddr()
        {
            s.Pos++;
            if (s.SkipLwsp() <= 0)
            {
                return -1;
            }
            if (s.Cur == '@')
            {
                if (ParseDomainList() > 0 && s.Cur == ':')
                {
                    s.Pos++;
                }
                else
                {
                    route = "INVALID_ROUTE";
                    if (s.AtEnd)
                    {
                        return -1;
                    }
                }
                if (s.SkipLwsp() <= 0)
                {
                    return -1;
                }
            }
            if (s.Cur != '>')
            {
                if (ParseLocalPart() <= 0)
                {
                    return -1;
                }
                if (s.Cur == '@' && ParseDomainInto() <= 0)
                {
                    return -1;
                }
            }
            if (s.Cur != '>')
            {
                return -1;
            }
            s.Pos++;
            return s.SkipLwsp();
        }

        // obs-domain-list = "@" domain *(*(CFWS / ",") [CFWS] "@" domain)
        private int ParseDomainList()
        {
            str.Clear();
            while (true)
            {
                if (s.AtEnd)
                {
                    return 0;
                }
                if (s.Cur != '@')
                {
                    break;
                }
                if (str.Length > 0)
                {
                    str.Append(',');
                }
                str.Append('@');
                int ret = s.ParseDomain(str);
                if (ret <= 0)
                {
                    return ret;
                }
                while (s.SkipLwsp() > 0 && s.Cur == ',')
                {
                    s.Pos++;
                }
            }
            route = str.ToString();
            return 1;
        }

        // addr-spec = local-part "@" domain
        private int ParseAddrSpec()
        {
            int ret2 = -2;
            s.LastComment.Clear();
            bool quoted = s.Cur == '"';
            int ret = ParseLocalPart();
            if (ret <= 0)
            {
                invalid = true;
            }
            if (ret != 0 && !s.AtEnd && s.Cur == '@')
            {
                ret2 = ParseDomainInto();
                if (ret2 <= 0)
                {
                    ret = ret2;
                }
            }
            if (s.LastComment.Length > 0)
            {
                name = s.LastComment.ToString();
            }
            else if (ret2 == -2)
            {
                // "user" alone is a mailbox; "user and more words" is a display name.
                str.Append(' ');
                int before = str.Length;
                s.ParsePhrase(str);
                if (str.Length != before)
                {
                    mailbox = null;
                    name = str.ToString();
                }
                else if (!quoted)
                {
                    domain = "";
                }
                invalid = true;
                ret = -1;
            }
            return ret;
        }

        private int ParseLocalPart()
        {
            str.Clear();
            int ret = s.Cur == '"' ? s.ParseQuotedString(str) : s.ParseNonStrictDotAtom(str);
            if (ret < 0)
            {
                return -1;
            }
            mailbox = str.ToString();
            return ret;
        }

        private int ParseDomainInto()
        {
            str.Clear();
            int ret = s.ParseDomain(str);
            if (ret < 0)
            {
                return -1;
            }
            domain = str.ToString();
            return ret;
        }
    }
}
