namespace ImapProxy.Integration.Tests.Server;

/// <summary>Hand-made messages for the corners of RFC 5256: broken and missing Message-IDs, loops, duplicate ids,
/// odd subjects, missing or bad dates, groups and missing addresses.</summary>
internal static class SortThreadEdgeMail
{
    /// <summary>(INTERNALDATE as APPEND takes it, header lines); each message gets a one-line body.</summary>
    public static readonly (string Arrival, string Header)[] Messages =
    [
        ("01-Mar-2003 10:00:00 +0000", "From: Root <root@a.example>\nTo: list@a.example\nSubject: Topic\nDate: Sat, 1 Mar 2003 10:00:00 +0000\nMessage-ID: <root@a>"),
        ("01-Mar-2003 11:00:00 +0000", "From: b@a.example\nTo: Zed <zed@a.example>\nCc: Amy <amy@a.example>, x@a.example\nSubject: Re: Topic\nDate: Sat, 1 Mar 2003 12:00:00 +0100\nMessage-ID: <r1@a>\nReferences: <root@a>"),
        ("01-Mar-2003 12:00:00 +0000", "From: C@A.example\nSubject: RE: [list] topic\nDate: Sat, 1 Mar 2003 11:30:00 +0000\nMessage-ID: <r2@a>\nReferences: (comment) <root@a> <r1@a>"),
        ("01-Mar-2003 13:00:00 +0000", "From: d@a.example\nSubject: Re[2]: Topic (fwd)\nMessage-ID: <r3@a>\nIn-Reply-To: Your message of Saturday <r1@a>"),
        ("02-Mar-2003 10:00:00 -0500", "From: undisclosed-recipients:;\nSubject: =?UTF-8?Q?Fwd=3A_Topic?=\nDate: bogus date\nMessage-ID: <f1@a>"),
        ("02-Mar-2003 11:00:00 +0000", "Subject: [Fwd: Re: Topic]\nDate: Sun, 2 Mar 2003 11:00:00 +1400\nMessage-ID: <f2@a>"),
        ("02-Mar-2003 12:00:00 +0000", "From: Loop One <l1@a.example>\nSubject: loop\nDate: Sun, 2 Mar 2003 12:00:00 -1200\nMessage-ID: <l1@a>\nReferences: <l2@a>"),
        ("02-Mar-2003 13:00:00 +0000", "From: Loop Two <l2@a.example>\nSubject: Re: loop\nDate: Sun, 2 Mar 2003 13:00:00 +0000\nMessage-ID: <l2@a>\nReferences: <l1@a>"),
        ("02-Mar-2003 14:00:00 +0000", "From: self@a.example\nSubject: self\nDate: Sun, 2 Mar 2003 14:00:00 +0000\nMessage-ID: <self@a>\nReferences: <self@a>"),
        ("03-Mar-2003 10:00:00 +0000", "From: dup@a.example\nSubject: duplicate one\nDate: Mon, 3 Mar 2003 10:00:00 +0000\nMessage-ID: <dup@a>"),
        ("03-Mar-2003 11:00:00 +0000", "From: dup@a.example\nSubject: duplicate two\nDate: Mon, 3 Mar 2003 11:00:00 +0000\nMessage-ID: <dup@a>"),
        ("03-Mar-2003 12:00:00 +0000", "From: dup@a.example\nSubject: Re: duplicate one\nDate: Mon, 3 Mar 2003 12:00:00 +0000\nMessage-ID: <dup-reply@a>\nIn-Reply-To: <dup@a>"),
        ("03-Mar-2003 13:00:00 +0000", "From: orphan@a.example\nSubject: Re: gone\nDate: Mon, 3 Mar 2003 13:00:00 +0000\nMessage-ID: <o1@a>\nReferences: <gone@a> <middle@a>"),
        ("03-Mar-2003 14:00:00 +0000", "From: orphan@a.example\nSubject: Re: gone\nDate: Mon, 3 Mar 2003 14:00:00 +0000\nMessage-ID: <o2@a>\nReferences: <gone@a>"),
        ("03-Mar-2003 15:00:00 +0000", "From: nomid@a.example\nSubject: no id\nDate: Mon, 3 Mar 2003 15:00:00 +0000"),
        ("03-Mar-2003 16:00:00 +0000", "From: nomid@a.example\nSubject: Re: no id\nDate: Mon, 3 Mar 2003 15:00:00 +0000"),
        ("04-Mar-2003 10:00:00 +0000", "From: blob@a.example\nSubject: [a] [b] Re: [c] blobs\nDate: Tue, 4 Mar 2003 10:00:00 +0000\nMessage-ID: <b1@a>"),
        ("04-Mar-2003 11:00:00 +0000", "From: blob@a.example\nSubject: [only-blob]\nDate: Tue, 4 Mar 2003 11:00:00 +0000\nMessage-ID: <b2@a>"),
        ("04-Mar-2003 12:00:00 +0000", "From: empty@a.example\nSubject: \nDate: Tue, 4 Mar 2003 12:00:00 +0000\nMessage-ID: <e1@a>"),
        ("04-Mar-2003 13:00:00 +0000", "From: empty@a.example\nDate: Tue, 4 Mar 2003 13:00:00 +0000\nMessage-ID: <e2@a>"),
        ("04-Mar-2003 14:00:00 +0000", "From: \"Q, Uoted\" <quoted@a.example>\nTo: undisclosed-recipients:;\nSubject: =?ISO-8859-1?B?UmU6IEJsb2Jz?=\nDate: Tue, 4 Mar 2003 14:00:00 +0000\nMessage-ID: <b3@a>\nIn-Reply-To: <b1@a>"),
        ("04-Mar-2003 15:00:00 +0000", "From: tie@a.example\nSubject: Tie\nDate: Tue, 4 Mar 2003 15:00:00 +0000\nMessage-ID: <t1@a>"),
        ("04-Mar-2003 15:00:00 +0000", "From: tie@a.example\nSubject: tie\nDate: Tue, 4 Mar 2003 15:00:00 +0000\nMessage-ID: <t2@a>"),
        ("05-Mar-2003 10:00:00 +0000", "From: Tabs <tabs@a.example>\nSubject: Re:\t  spaced\t out  \nDate: Wed, 5 Mar 2003 10:00:00 +0000\nMessage-ID: <s1@a>"),
        ("05-Mar-2003 11:00:00 +0000", "From: Tabs <tabs@a.example>\nSubject: spaced out\nDate: Wed, 5 Mar 2003 09:00:00 +0000\nMessage-ID: <s2@a>"),
        ("06-Mar-2003 10:00:00 +0000", "From: =?UTF-8?Q?J=C3=B6rg?= <jorg@a.example>\nSubject: =?UTF-8?Q?=C3=BCber?=\nDate: Thu, 6 Mar 2003 10:00:00 +0000\nMessage-ID: <u1@a>"),
        ("06-Mar-2003 11:00:00 +0000", "From: Zed <Zed@a.example>\nSubject: =?UTF-8?Q?Re:_=C3=9Cber?=\nDate: Thu, 6 Mar 2003 09:00:00 +0000\nMessage-ID: <u2@a>"),
        ("06-Mar-2003 12:00:00 +0000", "From: zed@a.example\nSubject: Zebra\nDate: Thu, 6 Mar 2003 12:00:00 +0000\nMessage-ID: <u3@a>"),
        ("06-Mar-2003 13:00:00 +0000", "From: ecole@a.example\nSubject: =?ISO-8859-1?Q?=E9cole?=\nDate: Thu, 6 Mar 2003 13:00:00 +0000\nMessage-ID: <u4@a>"),
        ("06-Mar-2003 14:00:00 +0000", "From: ecole@a.example\nSubject: Ecole\nDate: Thu, 6 Mar 2003 14:00:00 +0000\nMessage-ID: <u5@a>"),
        ("06-Mar-2003 15:00:00 +0000", "From: ecole@a.example\nSubject: Ecolf\nDate: Thu, 6 Mar 2003 15:00:00 +0000\nMessage-ID: <u6@a>"),
    ];

    public static byte[] Bytes(string header) =>
        System.Text.Encoding.UTF8.GetBytes(header.Replace("\n", "\r\n") + "\r\n\r\nbody\r\n");
}
