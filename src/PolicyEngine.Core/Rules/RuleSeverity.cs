namespace PolicyEngine.Core.Rules;

/// <summary>How much a failing finding matters. Ordered from least to most severe so comparisons read naturally.</summary>
public enum RuleSeverity
{
    /// <summary>Worth knowing; no action implied.</summary>
    Informational = 0,

    /// <summary>Low risk.</summary>
    Low = 1,

    /// <summary>Medium risk.</summary>
    Medium = 2,

    /// <summary>High risk.</summary>
    High = 3,

    /// <summary>Critical risk.</summary>
    Critical = 4,
}

/// <summary>Text forms of <see cref="RuleSeverity"/> as rules and configuration spell them.</summary>
public static class RuleSeverityNames
{
    /// <summary>The accepted words, lowest first.</summary>
    public static IReadOnlyList<string> All { get; } = ["informational", "low", "medium", "high", "critical"];

    /// <summary>Parses a lower-case severity word.</summary>
    public static bool TryParse(string text, out RuleSeverity severity)
    {
        var index = All.ToList().IndexOf(text);
        severity = (RuleSeverity)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The lower-case word for a severity.</summary>
    public static string ToName(this RuleSeverity severity) => All[(int)severity];
}
