using PolicyEngine.Core.Reporting;

namespace PolicyEngine.Core.Tests.Reporting;

/// <summary>Large reports reach their stream as they are written, not in one write at the end.</summary>
public sealed class StreamedReportTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    [InlineData("asff")]
    public void A_report_of_several_megabytes_is_written_in_pieces_of_about_a_megabyte(string format)
    {
        // The fixture's findings repeated to several megabytes of report.
        var fixture = ReportFixture.Result();
        var many = Enumerable.Range(0, 4000).SelectMany(_ => fixture.Findings).ToArray();
        var result = fixture with { Findings = many };
        var reporter = FindingsReporters.Find(format)!;
        var stream = new RecordingStream();
        reporter.Write(result, ReportFixture.Context(includePassing: true), stream);

        Assert.True(stream.Length > 8 << 20, $"{stream.Length} bytes");
        Assert.True(stream.LargestWrite < (1 << 20) + (64 << 10), $"largest write {stream.LargestWrite} bytes");
        using var written = new MemoryStream();
        reporter.Write(result, ReportFixture.Context(includePassing: true), written);
        Assert.Equal(written.ToArray(), stream.ToArray());
    }

    private sealed class RecordingStream : MemoryStream
    {
        public long LargestWrite { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            LargestWrite = Math.Max(LargestWrite, count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            base.Write(buffer);
        }
    }
}
