using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Webhooks;

/// <summary>The only guard against oversized webhooks on the Functions host, whose own limit is far higher.</summary>
public sealed class WebhookBodyReaderTests
{
    [Fact]
    public async Task A_declared_length_above_the_limit_is_refused_without_reading_a_byte()
    {
        var body = new CountingStream(long.MaxValue);

        var read = await WebhookBodyReader.ReadAsync(body, WebhookBodyReader.MaxBodyBytes + 1L, CancellationToken.None);

        Assert.Null(read);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task A_body_of_unknown_length_is_refused_once_it_grows_past_the_limit_without_reading_the_rest()
    {
        var body = new CountingStream(long.MaxValue);

        var read = await WebhookBodyReader.ReadAsync(body, contentLength: null, CancellationToken.None);

        Assert.Null(read);
        Assert.InRange(body.BytesRead, WebhookBodyReader.MaxBodyBytes, WebhookBodyReader.MaxBodyBytes + (64 * 1024));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_of_exactly_the_limit_is_read_whole(bool lengthDeclared)
    {
        var body = new CountingStream(WebhookBodyReader.MaxBodyBytes);

        var read = await WebhookBodyReader.ReadAsync(body, lengthDeclared ? WebhookBodyReader.MaxBodyBytes : null, CancellationToken.None);

        Assert.Equal(WebhookBodyReader.MaxBodyBytes, read?.Length);
    }

    [Fact]
    public async Task A_body_shorter_than_its_declared_length_is_an_error_not_a_truncated_webhook()
    {
        await Assert.ThrowsAsync<EndOfStreamException>(() => WebhookBodyReader.ReadAsync(new CountingStream(10), 20, CancellationToken.None));
    }

    /// <summary>Yields <c>length</c> bytes of 'x' in small reads and counts what was taken.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(Math.Min(count, 8192), length - BytesRead);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
