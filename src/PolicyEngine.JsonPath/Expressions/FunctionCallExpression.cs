using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PolicyEngine.JsonPath;

/// <summary>A call to a function extension whose arguments were type-checked at parse time.</summary>
internal sealed class FunctionCallExpression(FunctionDefinition function, ArgumentExpression[] arguments)
{
    public FunctionDefinition Function => function;

    public ArgumentExpression[] Arguments => arguments;

    /// <summary>Invokes the function; NodesType arguments live until the caller releases its argument mark.</summary>
    public FunctionResult Invoke(EvaluationContext context, JsonElement current)
    {
        FunctionResult result;
        if (arguments.Length <= ArgumentBuffer.Size)
        {
            var buffer = default(ArgumentBuffer);
            Span<FunctionArgument> span = buffer;
            span = span[..arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                span[i] = arguments[i].Evaluate(context, current);
            }

            result = function.Implementation(span);
        }
        else
        {
            var array = new FunctionArgument[arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                array[i] = arguments[i].Evaluate(context, current);
            }

            result = function.Implementation(array);
        }

        // A function returning a result of the wrong type is a bug in the extension; treat it as "no result"
        // because evaluation must never throw.
        if (result.Type != function.ResultType)
        {
            return function.ResultType switch
            {
                FunctionType.Value => FunctionResult.FromValue(PathValue.Nothing),
                FunctionType.Logical => FunctionResult.FromLogical(false),
                _ => FunctionResult.FromNodes(Array.Empty<JsonElement>()),
            };
        }

        return result;
    }

    [InlineArray(Size)]
    private struct ArgumentBuffer
    {
        public const int Size = 4;
        private FunctionArgument _element;
    }
}
