namespace PolicyEngine.JsonPath;

/// <summary>Thrown by <see cref="JsonPathQuery.Parse"/> when the query text is not a valid RFC 9535 query.</summary>
public sealed class JsonPathParseException : Exception
{
    /// <summary>Creates an exception from a parse diagnostic.</summary>
    /// <param name="error">The diagnostic describing the failure.</param>
    public JsonPathParseException(JsonPathError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString())
    {
        Error = error;
    }

    /// <summary>Creates an exception without a position (position 0).</summary>
    public JsonPathParseException()
        : this(new JsonPathError(0, "Invalid JSONPath query"))
    {
    }

    /// <summary>Creates an exception with a message at position 0.</summary>
    /// <param name="message">The message.</param>
    public JsonPathParseException(string message)
        : this(new JsonPathError(0, message))
    {
    }

    /// <summary>Creates an exception with a message at position 0 and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public JsonPathParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new JsonPathError(0, message);
    }

    /// <summary>The diagnostic: position and the bare message (without the position suffix).</summary>
    public JsonPathError Error { get; }

    /// <summary>The 0-based character offset into the query text where the problem was detected.</summary>
    public int Position => Error.Position;
}
