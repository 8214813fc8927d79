namespace PolicyEngine.Aws.Collection;

/// <summary>
/// A collection that cannot produce a meaningful snapshot (the caller's identity or the organization cannot be read)
/// stops with this, before anything is written. The message is one line: what failed, AWS's answer, what to check.
/// </summary>
public sealed class CollectionFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">The diagnostic code (<see cref="CollectionFailureCodes"/>).</param>
    /// <param name="message">One line: what failed, the AWS error or network error, and what to check.</param>
    public CollectionFailedException(string code, string message)
        : base(message) => Code = code;

    /// <summary>Creates the exception without a code (for serializers and analyzers).</summary>
    public CollectionFailedException()
        : this(CollectionFailureCodes.IdentityUnreadable, "the collection failed")
    {
    }

    /// <summary>Creates the exception without a code (for serializers and analyzers).</summary>
    public CollectionFailedException(string message)
        : this(CollectionFailureCodes.IdentityUnreadable, message)
    {
    }

    /// <summary>Creates the exception without a code (for serializers and analyzers).</summary>
    public CollectionFailedException(string message, Exception innerException)
        : base(message, innerException) => Code = CollectionFailureCodes.IdentityUnreadable;

    /// <summary>The diagnostic code, one of <see cref="CollectionFailureCodes"/>.</summary>
    public string Code { get; }
}

/// <summary>Codes of failed or partial collections (documented in docs/diagnostics.md).</summary>
public static class CollectionFailureCodes
{
    /// <summary>sts:GetCallerIdentity failed: bad or expired credentials, or no network.</summary>
    public const string IdentityUnreadable = "PE8020";

    /// <summary>The organization (DescribeOrganization, ListAccounts) cannot be read and no --management-account was given.</summary>
    public const string OrganizationUnreadable = "PE8021";

    /// <summary>More calls failed than --max-error-rate allows; the snapshot was written beside the target.</summary>
    public const string ErrorRateExceeded = "PE8022";
}
