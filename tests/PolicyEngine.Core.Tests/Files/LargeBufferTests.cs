using PolicyEngine.Core.Diagnostics;
using PolicyEngine.Core.Files;
using PolicyEngine.Core.Snapshots;

namespace PolicyEngine.Core.Tests.Files;

public class LargeBufferTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4096)]
    [InlineData((64 << 20) + 12345)]
    public void A_buffer_has_the_length_asked_for_and_holds_what_is_written(int length)
    {
        var buffer = LargeBuffer.Allocate(length);
        Assert.Equal(length, buffer.Length);
        for (var i = 0; i < length; i += 4093)
        {
            buffer[i] = (byte)i;
        }

        for (var i = 0; i < length; i += 4093)
        {
            Assert.Equal((byte)i, buffer[i]);
        }
    }

    [Fact]
    public void A_large_snapshot_read_into_it_loads_like_a_small_one()
    {
        // Over the 64 MB threshold: the snapshot's evidence padded with a long string, read from a file.
        var path = Path.Combine(Path.GetTempPath(), $"policy-engine-large-{Guid.NewGuid():N}.json");
        try
        {
            var padding = new string('x', 65 << 20);
            File.WriteAllText(path, "{\"formatVersion\": \"1.0\", \"metadata\": {\"note\": \"" + padding + "\"},\n"
                + "\"evidence\": [{\"service\": \"s3\", \"operation\": \"ListBuckets\", \"account\": \"1\", \"region\": \"global\", \"status\": \"ok\", \"response\": {\"Buckets\": []}}]}\n");
            var diagnostics = new List<Diagnostic>();
            using var snapshot = SnapshotLoader.LoadFile(path, diagnostics);
            Assert.Empty(diagnostics);
            Assert.Equal("s3:ListBuckets @ 1/global", Assert.Single(snapshot!.Evidence).Key.ToString());
            Assert.Equal(new FileInfo(path).Length, snapshot.Utf8.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
