using System.Text.Json;
using PolicyEngine.Core.Files;

namespace PolicyEngine.Core.Tests.Files;

public class JsonStreamingTests
{
    [Fact]
    public void A_writer_is_flushed_once_it_holds_the_threshold_and_not_before()
    {
        using var stream = new MemoryStream();
        using var writer = new Utf8JsonWriter(stream);
        var item = new string('x', 1000);
        writer.WriteStartArray();
        var flushedAt = -1;
        for (var i = 0; i < 2000 && flushedAt < 0; i++)
        {
            writer.WriteStringValue(item);
            var before = writer.BytesPending;
            writer.FlushWhenFull();
            if (stream.Length > 0)
            {
                flushedAt = i;
                Assert.True(before >= JsonStreaming.FlushThreshold);
                Assert.Equal(0, writer.BytesPending);
                Assert.Equal(before, stream.Length);
            }
        }

        // 1,003 bytes per item (quotes and comma): the megabyte is reached at the 1,046th item.
        Assert.Equal(1045, flushedAt);
    }
}
