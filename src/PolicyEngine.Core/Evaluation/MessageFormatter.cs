using System.Text.RegularExpressions;
using PolicyEngine.Core.Rules.Model;

namespace PolicyEngine.Core.Evaluation;

/// <summary>Renders a finding's message from the rule's message format and the subject.</summary>
internal static partial class MessageFormatter
{
    public static string Render(RawFinding raw)
    {
        if (raw.Outcome != Outcome.Fail)
        {
            // Pass, NotApplicable, InsufficientData and Error explain themselves through the detail.
            return raw.Detail.Length > 0 ? Capitalize(raw.Detail) : raw.Outcome == Outcome.Pass ? "Passed." : raw.Outcome.ToName();
        }

        var text = Placeholder().Replace(raw.Rule.Descriptor.MessageFormat, match => match.Groups[1].Value switch
        {
            "account" => raw.Subject.AccountId ?? "-",
            "accountName" => raw.Subject.Account?.Name ?? "-",
            "region" => raw.Subject.Region ?? "-",
            "resource" => raw.Subject.Resource ?? "-",
            "detail" => raw.Detail,
            "rule" => raw.Rule.Descriptor.Id,
            "ouPath" => raw.Subject.Account?.OuPath ?? "-",
            _ => match.Value,
        }).Trim();
        return raw.Detail.Length > 0 && !raw.Rule.Descriptor.MessageFormat.Contains("{detail}", StringComparison.Ordinal)
            ? $"{text.TrimEnd('.')} ({raw.Detail})."
            : text;
    }

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? string.Empty : ".");

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}
