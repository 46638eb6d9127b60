using System.Text;
using Messaging.Shared.Webhooks;

namespace Messaging.Shared.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // Meta escapes non-ASCII characters (lowercase \u hex) before signing and sends the escaped bytes.
    private const string EscapedBody =
        """{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"text":{"body":"Gr\u00fc\u00dfe \u00e4\u00f6\u00e5 \ud83d\ude00"}}]}}]}]}""";

    // Computed independently (Node's crypto.createHmac) for the exact bytes above.
    private const string EscapedBodySignature = "sha256=95f8669ed960417c96b0271451686d14842dfa0db861e22c5ee92b8039fe8f93";

    private readonly WebhookSignature _signature = new("test-app-secret");

    [Fact]
    public void Accepts_the_signature_meta_computes_over_the_escaped_raw_bytes()
    {
        Assert.Equal(SignatureCheck.Valid, _signature.Verify(EscapedBodySignature, Encoding.UTF8.GetBytes(EscapedBody)));
    }

    [Fact]
    public void Rejects_the_same_signature_over_the_decoded_and_reserialised_payload()
    {
        const string decoded = """{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"text":{"body":"Grüße äöå 😀"}}]}}]}]}""";
        Assert.Equal(SignatureCheck.Mismatch, _signature.Verify(EscapedBodySignature, Encoding.UTF8.GetBytes(decoded)));
    }

    [Fact]
    public void Matches_the_published_hmac_sha256_vector()
    {
        var signature = new WebhookSignature("It's a Secret to Everybody");
        Assert.Equal(
            SignatureCheck.Valid,
            signature.Verify("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "Hello, World!"u8));
    }

    [Theory]
    [InlineData(null, SignatureCheck.Missing)]
    [InlineData("", SignatureCheck.Missing)]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567", SignatureCheck.Malformed)]
    [InlineData("sha256=xyz", SignatureCheck.Malformed)]
    [InlineData("sha256=zz5f8669ed960417c96b0271451686d14842dfa0db861e22c5ee92b8039fe8f93", SignatureCheck.Malformed)]
    [InlineData("95f8669ed960417c96b0271451686d14842dfa0db861e22c5ee92b8039fe8f93", SignatureCheck.Malformed)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000", SignatureCheck.Mismatch)]
    public void Classifies_missing_malformed_and_wrong_signatures(string? header, SignatureCheck expected)
    {
        Assert.Equal(expected, _signature.Verify(header, Encoding.UTF8.GetBytes(EscapedBody)));
    }

    [Fact]
    public void A_single_changed_byte_breaks_the_signature()
    {
        var tampered = Encoding.UTF8.GetBytes(EscapedBody);
        tampered[^3] ^= 1;
        Assert.Equal(SignatureCheck.Mismatch, _signature.Verify(EscapedBodySignature, tampered));
    }

    [Fact]
    public void Sign_produces_what_verify_accepts()
    {
        var body = "{\"entry\":[]}"u8.ToArray();
        Assert.Equal(SignatureCheck.Valid, _signature.Verify(_signature.Sign(body), body));
        Assert.StartsWith("sha256=", _signature.Sign(body), StringComparison.Ordinal);
    }
}
