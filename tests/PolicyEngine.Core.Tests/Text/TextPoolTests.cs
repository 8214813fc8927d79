using System.Text.Json;
using PolicyEngine.Core.Text;

namespace PolicyEngine.Core.Tests.Text;

public class TextPoolTests
{
    [Fact]
    public void Equal_texts_become_the_first_one_made()
    {
        var pool = new TextPool(capacity: 4);
        var first = new string("out of scope: not a management account".AsSpan());
        var second = new string("out of scope: not a management account".AsSpan());
        Assert.NotSame(first, second);

        Assert.Same(first, pool.Share(first));
        Assert.Same(first, pool.Share(second));
    }

    [Fact]
    public void A_full_pool_returns_new_texts_as_they_are_and_still_shares_what_it_holds()
    {
        var pool = new TextPool(capacity: 2);
        var a = pool.Share(new string('a', 3));
        pool.Share(new string('b', 3));
        var fresh = new string('c', 3);
        var again = new string('c', 3);

        Assert.Same(fresh, pool.Share(fresh));
        Assert.Same(again, pool.Share(again));
        Assert.Same(a, pool.Share(new string('a', 3)));
    }

    [Fact]
    public void Threads_sharing_one_text_all_get_the_same_string()
    {
        var pool = new TextPool(capacity: 16);
        var shared = new string[64];
        Parallel.For(0, shared.Length, i => shared[i] = pool.Share(new string("passed: detector ENABLED".AsSpan())));
        Assert.All(shared, s => Assert.Same(shared[0], s));
    }

    [Theory]
    [InlineData("\"us-east-1\"", "us-east-1")]
    [InlineData("\"us-\\u0065ast-1\"", "us-east-1")]
    [InlineData("\"Zürich-\u00e9t\u00e9\"", "Zürich-été")]
    public void A_json_string_the_pool_holds_is_its_copy(string json, string value)
    {
        var pool = new TextPool(capacity: 4);
        var held = pool.Share(new string(value.AsSpan()));
        using var document = JsonDocument.Parse(json);

        Assert.Same(held, pool.Share(document.RootElement));
    }

    [Fact]
    public void A_json_string_the_pool_lacks_is_read_and_then_held()
    {
        var pool = new TextPool(capacity: 4);
        var name = new string('x', 300);
        using var document = JsonDocument.Parse($"[\"{name}\", \"{name}\", \"123456789012\", \"123456789012\"]");
        var items = document.RootElement.EnumerateArray().ToArray();

        var longFirst = pool.Share(items[0]);
        var account = pool.Share(items[2]);

        Assert.Equal(name, longFirst);
        Assert.Same(longFirst, pool.Share(items[1]));
        Assert.Equal("123456789012", account);
        Assert.Same(account, pool.Share(items[3]));
    }
}
