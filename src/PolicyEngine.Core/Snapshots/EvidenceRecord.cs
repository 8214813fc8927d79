using System.Text.Json;
using PolicyEngine.JsonPath;

namespace PolicyEngine.Core.Snapshots;

/// <summary>Whether a piece of evidence was gathered.</summary>
public enum EvidenceStatus
{
    /// <summary>The call succeeded; <see cref="EvidenceRecord.Response"/> holds AWS's answer (possibly empty).</summary>
    Ok,

    /// <summary>The call failed; the record carries AWS's error code and message.</summary>
    Error,

    /// <summary>The collector decided not to make the call (region disabled, service not in plan...).</summary>
    NotCollected,

    /// <summary>The snapshot has no record at all for this key.</summary>
    Missing,
}

/// <summary>The identity of one API call: service, operation, account, region and identifying parameters.</summary>
public readonly record struct EvidenceKey(string Service, string Operation, string Account, string Region, string Parameters)
{
    /// <summary>The form used in messages: <c>guardduty:ListDetectors @ 111111111111/us-east-1 {Name=x}</c>.</summary>
    public override string ToString() =>
        $"{Service}:{Operation} @ {Account}/{Region}" + (Parameters.Length == 0 ? string.Empty : " {" + Parameters + "}");

    /// <summary>Canonical text for parameters: sorted by name, <c>name=value</c> joined by '&amp;'.</summary>
    public static string CanonicalParameters(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        // Every (rule, subject) looks evidence up by key, and almost every key has no parameter or one: those need no sort.
        if (parameters is IReadOnlyCollection<KeyValuePair<string, string>> { Count: <= 1 } few)
        {
            foreach (var only in few)
            {
                return only.Key + "=" + only.Value;
            }

            return string.Empty;
        }

        return string.Join('&', parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
    }
}

/// <summary>One evidence record of a snapshot, as indexed at load time.</summary>
public sealed class EvidenceRecord
{
    internal EvidenceRecord(EvidenceKey key, EvidenceStatus status, JsonElement? response, string? errorCode,
        string? errorMessage, string? reason, NormalizedPath path)
    {
        Key = key;
        Status = status;
        Response = response;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        Reason = reason;
        Path = path;
    }

    /// <summary>The call's identity.</summary>
    public EvidenceKey Key { get; }

    /// <summary>Whether the call succeeded.</summary>
    public EvidenceStatus Status { get; }

    /// <summary>AWS's response when <see cref="Status"/> is Ok.</summary>
    public JsonElement? Response { get; }

    /// <summary>AWS's error code when <see cref="Status"/> is Error.</summary>
    public string? ErrorCode { get; }

    /// <summary>AWS's error message when <see cref="Status"/> is Error.</summary>
    public string? ErrorMessage { get; }

    /// <summary>Why the collector did not collect it, when <see cref="Status"/> is NotCollected.</summary>
    public string? Reason { get; }

    /// <summary>The record's path in the snapshot, e.g. <c>$['evidence'][12]</c>.</summary>
    public NormalizedPath Path { get; }

    /// <summary>The path of the response, which is where selectors over this evidence start.</summary>
    public NormalizedPath ResponsePath => Path.Append("response");

    /// <summary>A sentence for InsufficientData findings.</summary>
    public string Describe() => Status switch
    {
        EvidenceStatus.Ok => $"{Key} was collected",
        EvidenceStatus.Error => $"{Key} failed with {ErrorCode}: {ErrorMessage}",
        EvidenceStatus.NotCollected => $"{Key} was not collected ({Reason})",
        _ => $"{Key} is not in the snapshot",
    };
}
