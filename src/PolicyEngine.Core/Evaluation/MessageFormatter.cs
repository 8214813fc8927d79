using System.Runtime.CompilerServices;
using PolicyEngine.Core.Rules;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Evaluation;

/// <summary>Renders a finding's message from the rule's message format and the subject.</summary>
/// <remarks>
/// A placeholder is <c>{</c>, one or more ASCII letters, <c>}</c> (the regex <c>\{([A-Za-z]+)\}</c>, matched left
/// to right without overlap); known names are replaced by the subject's values, unknown ones are kept as written,
/// and substituted values are not scanned again. Each distinct format string is split into literal text and
/// placeholders once, so rendering a finding only concatenates.
/// </remarks>
internal static class MessageFormatter
{
    /// <summary>Parsed formats, keyed by the format string instance: rules keep theirs for their whole life.</summary>
    private static readonly ConditionalWeakTable<string, Template> Templates = [];

    public static string Render(RawFinding raw) => Render(raw.Rule.Descriptor, raw.Outcome, raw.Subject.ToFindingSubject(), raw.Detail);

    /// <summary>The message of a finding of <paramref name="rule"/> with this outcome, subject and detail.</summary>
    public static string Render(RuleDescriptor rule, Outcome outcome, FindingSubject subject, string detail)
    {
        if (outcome != Outcome.Fail)
        {
            // Pass, NotApplicable, InsufficientData and Error explain themselves through the detail.
            return detail.Length > 0 ? Capitalize(detail) : outcome == Outcome.Pass ? "Passed." : outcome.ToName();
        }

        var template = Templates.GetValue(rule.MessageFormat, Template.Parse);
        var text = template.Render(new Fill(rule.Id, subject, detail)).Trim();
        return detail.Length > 0 && !template.MentionsDetail
            ? $"{text.TrimEnd('.')} ({detail})."
            : text;
    }

    /// <summary>The values a template's placeholders are filled with.</summary>
    private readonly record struct Fill(string RuleId, FindingSubject Subject, string Detail);

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? string.Empty : ".");

    /// <summary>What a placeholder stands for.</summary>
    private enum Field
    {
        /// <summary>Literal text, not a placeholder.</summary>
        None,
        Account,
        AccountName,
        Region,
        Resource,
        Detail,
        Rule,
        OuPath,
    }

    /// <summary>One piece of a parsed format: literal text, or a field to fill in.</summary>
    private readonly record struct Part(string Literal, Field Field);

    /// <summary>A message format split into literal text and placeholders.</summary>
    private sealed class Template
    {
        private readonly Part[] _parts;

        private Template(Part[] parts, bool mentionsDetail)
        {
            _parts = parts;
            MentionsDetail = mentionsDetail;
        }

        /// <summary>Whether the format says <c>{detail}</c>; if not, a detail is appended after the message.</summary>
        public bool MentionsDetail { get; }

        public static Template Parse(string format)
        {
            var parts = new List<Part>();
            var literalStart = 0;
            var i = 0;
            while (i < format.Length)
            {
                var open = format.IndexOf('{', i);
                if (open < 0)
                {
                    break;
                }

                var end = open + 1;
                while (end < format.Length && char.IsAsciiLetter(format[end]))
                {
                    end++;
                }

                if (end == open + 1 || end == format.Length || format[end] != '}')
                {
                    // Not a placeholder. What was skipped after the brace is letters, so the next one starts at end or later.
                    i = end;
                    continue;
                }

                var field = format.AsSpan(open + 1, end - open - 1) switch
                {
                    "account" => Field.Account,
                    "accountName" => Field.AccountName,
                    "region" => Field.Region,
                    "resource" => Field.Resource,
                    "detail" => Field.Detail,
                    "rule" => Field.Rule,
                    "ouPath" => Field.OuPath,
                    _ => Field.None, // an unknown placeholder stays as written
                };
                if (field != Field.None)
                {
                    if (open > literalStart)
                    {
                        parts.Add(new Part(format[literalStart..open], Field.None));
                    }

                    parts.Add(new Part(string.Empty, field));
                    literalStart = end + 1;
                }

                i = end + 1;
            }

            if (literalStart < format.Length || parts.Count == 0)
            {
                parts.Add(new Part(format[literalStart..], Field.None));
            }

            return new Template([.. parts], format.Contains("{detail}", StringComparison.Ordinal));
        }

        public string Render(Fill raw)
        {
            if (_parts is [{ Field: Field.None } only])
            {
                return only.Literal;
            }

            var length = 0;
            foreach (var part in _parts)
            {
                length += Text(part, raw).Length;
            }

            return string.Create(length, (Parts: _parts, Raw: raw), static (span, state) =>
            {
                foreach (var part in state.Parts)
                {
                    var text = Text(part, state.Raw);
                    text.CopyTo(span);
                    span = span[text.Length..];
                }
            });
        }

        private static ReadOnlySpan<char> Text(Part part, Fill raw) => part.Field switch
        {
            Field.Account => raw.Subject.Account ?? "-",
            Field.AccountName => raw.Subject.AccountName ?? "-",
            Field.Region => raw.Subject.Region ?? "-",
            Field.Resource => raw.Subject.Resource ?? "-",
            Field.Detail => raw.Detail,
            Field.Rule => raw.RuleId,
            Field.OuPath => raw.Subject.OuPath ?? "-",
            _ => part.Literal,
        };
    }
}
