namespace PolicyEngine.Core.Rules.Model;

/// <summary>An AWS API operation as rules name it: <c>service:Operation</c>, e.g. <c>guardduty:ListDetectors</c>.</summary>
public sealed record OperationName(string Service, string Operation)
{
    /// <summary>Parses <c>service:Operation</c>; the service is lower-case, the operation PascalCase.</summary>
    public static bool TryParse(string text, out OperationName? name)
    {
        name = null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            return false;
        }

        var service = text[..colon];
        var operation = text[(colon + 1)..];
        if (!service.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ||
            !char.IsAsciiLetterUpper(operation[0]) || !operation.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        name = new OperationName(service, operation);
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Service + ":" + Operation;
}
