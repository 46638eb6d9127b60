using System.Buffers.Text;
using System.Security.Cryptography;

namespace Messaging.Shared.LocalHostOnly.Sandbox;

/// <summary>
/// Message ids for the sandbox. Meta's wamids are opaque base64 (and embed the phone number); ours are random
/// base64url so they look alike to the app, stay far below Meta's 128-character limit and carry no personal data.
/// </summary>
public static class SandboxWamid
{
    public const string Prefix = "wamid.";

    public static string New() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
}
